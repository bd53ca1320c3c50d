#include "contacts/mentions.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <set>

#include "api/api_context.hpp"

namespace reos::contacts {
namespace {

bool local_char(unsigned char c) {
  return std::isalnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

bool domain_char(unsigned char c) {
  return std::isalnum(c) || c == '.' || c == '-';
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string trim_dots(std::string text) {
  while (!text.empty() && text.back() == '.') text.pop_back();
  return text;
}

}  // namespace

std::vector<std::string> mention_tokens(const std::string& body) {
  std::vector<std::string> tokens;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body[i] != '@') continue;
    if (i > 0 && local_char(static_cast<unsigned char>(body[i - 1]))) continue;  // an address
    std::size_t end = i + 1;
    while (end < body.size() && local_char(static_cast<unsigned char>(body[end]))) ++end;
    std::string token = body.substr(i + 1, end - i - 1);
    if (end < body.size() && body[end] == '@') {  // @local@domain: the whole address
      std::size_t domain_end = end + 1;
      while (domain_end < body.size() &&
             domain_char(static_cast<unsigned char>(body[domain_end]))) {
        ++domain_end;
      }
      const std::string domain = trim_dots(body.substr(end + 1, domain_end - end - 1));
      if (!domain.empty()) token += "@" + domain;
      end = domain_end;
    } else {
      token = trim_dots(token);
    }
    i = end - 1;
    if (token.empty() || token[0] == '.' || token[0] == '@') continue;
    token = lower(token);
    if (seen.insert(token).second) tokens.push_back(token);
  }
  return tokens;
}

std::vector<std::string> resolve_mentions(pqxx::transaction_base& tx,
                                          const std::vector<std::string>& tokens) {
  if (tokens.empty()) return {};
  // Members only: row-level security limits tenant_memberships (and so users) to the tenant.
  const pqxx::result rows = tx.exec_params(
      "SELECT u.id::text, lower(u.email) FROM users u"
      " JOIN tenant_memberships m ON m.user_id = u.id"
      " WHERE lower(u.email) IN (SELECT jsonb_array_elements_text($1::jsonb))"
      " OR lower(split_part(u.email, '@', 1)) IN (SELECT jsonb_array_elements_text($1::jsonb))",
      nlohmann::json(tokens).dump());
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> by_token;
  for (const pqxx::row& row : rows) {
    const std::string id = row[0].as<std::string>();
    const std::string email = row[1].as<std::string>();
    by_token[email].emplace_back(id, email);
    by_token[email.substr(0, email.find('@'))].emplace_back(id, email);
  }
  std::vector<std::string> ids;
  for (const std::string& token : tokens) {
    const auto it = by_token.find(token);
    if (it == by_token.end()) continue;
    if (it->second.size() > 1) {
      api::throw_invalid(
          {{"body", "@" + token + " matches several members (" + it->second[0].second + ", " +
                        it->second[1].second + ", …); write the whole address, e.g. @" +
                        it->second[0].second}});
    }
    if (std::find(ids.begin(), ids.end(), it->second[0].first) == ids.end()) {
      ids.push_back(it->second[0].first);
    }
  }
  return ids;
}

}  // namespace reos::contacts
