// Requests to a RESO Web API server (see the header).
#include "reso_client.hpp"

#include <ctime>

namespace reso {

std::string odata_error(std::string_view body) {
  const nlohmann::json j = nlohmann::json::parse(body.begin(), body.end(), nullptr, false);
  if (!j.is_object() || !j.contains("error") || !j["error"].is_object()) return "";
  const nlohmann::json& e = j["error"];
  std::string out = e.value("code", "");
  if (e.contains("message") && e["message"].is_string())
    out += (out.empty() ? "" : ": ") + e["message"].get<std::string>();
  return out;
}

Reply Client::get(reos::Call& call, const std::string& url, const char* accept) {
  auto request = [&] {
    reos::HttpRequest req;
    req.url = url;
    req.timeout = std::chrono::milliseconds(settings_.timeout_ms);
    req.headers.emplace_back("Accept", accept);
    req.headers.emplace_back("OData-MaxVersion", "4.01");
    const std::string auth = tokens_.authorization(call);
    if (!auth.empty()) req.headers.emplace_back("Authorization", auth);
    return send(call, req);
  };
  Reply r = request();
  if (r.status == 401 && settings_.auth == "oauth2") {
    call.info("reso_webapi: the access token was refused (HTTP 401); fetching a new one");
    tokens_.invalidate();
    r = request();
  }
  if (r.status == 401) {
    const std::string err = odata_error(r.body);
    throw reos::Invalid("RESO Web API refused the access token (HTTP 401" +
                        (err.empty() ? "" : ": " + err) +
                        "); check the client credentials, scope or access_token");
  }
  return r;
}

void Client::check_status(const Reply& r, const std::string& what) const {
  if (r.status == 200) return;
  const std::string err = odata_error(r.body);
  const std::string detail =
      what + ": HTTP " + std::to_string(r.status) + (err.empty() ? "" : ": " + err);
  if (r.status == 429 || r.status == 503 || r.status == 408 || r.status >= 500) {
    std::uint64_t after = 0;
    if (const auto h = r.header("Retry-After"))
      after = retry_after_ms(*h, std::time(nullptr)).value_or(0);
    throw reos::Retry(std::chrono::milliseconds(static_cast<long long>(after)),
                      err.empty() ? describe(what.c_str(), r) : detail);
  }
  if (r.status == 403)
    throw reos::Invalid(detail + " (the client may not read " + settings_.resource +
                        "; check the scope and the MLS's grants)");
  if (r.status == 404)
    throw reos::Invalid(detail + " (no resource " + settings_.resource + " under " +
                        settings_.base_url + "; check base_url and resource)");
  if (r.status == 400)
    throw std::runtime_error(detail +
                             " (the server refused the query; check settings.filter, select "
                             "and expand)");
  throw std::runtime_error(err.empty() ? describe(what.c_str(), r) : detail);
}

}  // namespace reso
