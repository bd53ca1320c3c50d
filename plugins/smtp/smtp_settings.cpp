#include "smtp_settings.hpp"

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace smtp {

std::string domain_of(const std::string& address) {
  const auto at = address.rfind('@');
  return at == std::string::npos ? "" : address.substr(at + 1);
}

SmtpSettings parse_settings(const nlohmann::json& j) {
  SmtpSettings s;
  s.url = j.at("url").get<std::string>();
  if (s.url.rfind("smtp://", 0) != 0 && s.url.rfind("smtps://", 0) != 0)
    throw std::invalid_argument("settings.url: expected smtp://host:port or smtps://host:port");
  const std::string tls = j.value("starttls", "required");
  if (tls == "off") {
    s.starttls = StartTls::off;
  } else if (tls == "opportunistic") {
    s.starttls = StartTls::opportunistic;
  } else if (tls == "required") {
    s.starttls = StartTls::required;
  } else {
    throw std::invalid_argument("settings.starttls: expected off, opportunistic or required");
  }
  s.ca_file = j.value("ca_file", "");
  s.verify_peer = j.value("verify_peer", true);
  s.username = j.value("username", "");
  s.password = j.value("password", "");
  if (!s.username.empty() && s.password.empty())
    throw std::invalid_argument("settings.password: required when settings.username is set");
  s.from = j.at("from").get<std::string>();
  if (domain_of(s.from).empty())
    throw std::invalid_argument("settings.from: expected an address like news@example.com");
  s.from_name = j.value("from_name", "");
  s.message_id_domain = j.value("message_id_domain", domain_of(s.from));
  s.timeout_ms = j.value("timeout_ms", 30000L);
  return s;
}

}  // namespace smtp
