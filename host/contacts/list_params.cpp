#include "contacts/list_params.hpp"

#include <pqxx/pqxx>
#include <regex>

#include "api/api_context.hpp"

namespace reos::contacts {

bool is_uuid(const std::string& text) {
  static const std::regex pattern(
      "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
  return std::regex_match(text, pattern);
}

std::string path_uuid(const api::ApiRequest& req, const std::string& what) {
  const auto it = req.http.path_params.find("id");
  if (it == req.http.path_params.end() || !is_uuid(it->second)) {
    api::throw_not_found(what + " " + (it == req.http.path_params.end() ? "" : it->second));
  }
  return it->second;
}

PageParams page_params(admin_api::QueryParams& params, const std::string& kind) {
  PageParams page;
  page.limit = params.integer("limit", 1, kMaxPageSize, kDefaultPageSize);
  if (const std::optional<std::string> text = params.text("cursor")) {
    const std::optional<property_search::CursorParts> parts = property_search::decode_cursor(*text);
    if (!parts || parts->size() != 3 || (*parts)[0] != kind || !(*parts)[1] || !(*parts)[2] ||
        !is_uuid(*(*parts)[2])) {
      params.reject("cursor", "not a cursor of this listing");
    } else {
      page.after = Keyset{*(*parts)[1], *(*parts)[2]};
    }
  }
  return page;
}

std::string next_cursor(const std::string& kind, const Keyset& at) {
  return property_search::encode_cursor({kind, at.value, at.id});
}

std::optional<std::string> user_param(admin_api::QueryParams& params, const std::string& name,
                                      const api::ApiRequest& req) {
  const std::optional<std::string> text = params.text(name);
  if (!text) return std::nullopt;
  if (*text == "me") {
    if (!req.caller.user_id.empty()) return req.caller.user_id;
    params.reject(name, "'me' needs a user (this API key has none)");
    return std::nullopt;
  }
  if (!is_uuid(*text)) {
    params.reject(name, "must be a user id (UUID) or 'me'");
    return std::nullopt;
  }
  return text;
}

void throw_if_invalid(const admin_api::QueryParams& params) {
  if (params.errors().empty()) return;
  std::vector<http::InvalidParam> out;
  for (const http::InvalidParam& e : params.errors()) out.push_back({"query." + e.name, e.reason});
  api::throw_invalid(std::move(out));
}

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(',', start);
    parts.push_back(text.substr(start, end - start));
    if (end == std::string::npos) return parts;
    start = end + 1;
  }
}

std::string page_json(const pqxx::result& rows, long page_limit, const std::string& kind) {
  const int kept = static_cast<int>(std::min<long>(static_cast<long>(rows.size()), page_limit));
  std::string body = "{\"items\":[";
  for (int i = 0; i < kept; ++i) {
    if (i > 0) body += ',';
    body += rows[i]["item"].c_str();
  }
  body += "],\"next_cursor\":";
  if (static_cast<int>(rows.size()) <= kept) return body + "null}";
  const pqxx::row last = rows[kept - 1];
  const Keyset at{last["sort_value"].as<std::string>(), last["id"].as<std::string>()};
  return body + "\"" + next_cursor(kind, at) + "\"}";
}

void read_page(const api::ApiContext& api, const api::ApiRequest& req,
               const std::function<void(pqxx::transaction_base&)>& fn) {
  try {
    api.in_tenant(req, fn);
  } catch (const pqxx::data_exception&) {
    api::throw_invalid({{"query.cursor", "not a cursor of this listing"}});
  }
}

std::string like_pattern(const std::string& text) {
  std::string out = "%";
  for (const char c : text) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out + "%";
}

}  // namespace reos::contacts
