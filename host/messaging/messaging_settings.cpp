#include "messaging/messaging_settings.hpp"

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace reos::messaging {
namespace {

using nlohmann::json;

std::vector<std::string> strings(const json& parent, const char* key) {
  std::vector<std::string> out;
  const json values = parent.value(key, json::array());
  for (const json& v : values) out.push_back(v.get<std::string>());
  return out;
}

}  // namespace

MessagingSettings parse_messaging_settings(const std::string& json_text) {
  MessagingSettings s;
  if (json_text.empty()) return s;
  try {
    const json root = json::parse(json_text);
    s.postal_address = root.value("postal_address", "");
    s.public_url = root.value("public_url", "");
    while (!s.public_url.empty() && s.public_url.back() == '/') s.public_url.pop_back();
    s.unsubscribe_secret_name = root.value("unsubscribe_secret", "");
    s.unsubscribe_ttl_days = root.value("unsubscribe_ttl_days", 60);
    const json email = root.value("email", json::object());
    s.email_from = email.value("from", "");
    s.email_from_name = email.value("from_name", "");
    s.email_reply_to = email.value("reply_to", "");
    s.sms_from = root.value("sms", json::object()).value("from", "");
    const json templates = root.value("templates", json::object());  // kept alive for items()
    for (const auto& [name, t] : templates.items()) {
      MessageTemplate tpl;
      tpl.name = name;
      tpl.channel = t.value("channel", "email");
      tpl.subject = t.value("subject", "");
      tpl.text = t.value("text", "");
      tpl.html = t.value("html", "");
      tpl.variables = strings(t, "variables");
      tpl.html_variables = strings(t, "html_variables");
      s.templates.emplace(name, std::move(tpl));
    }
  } catch (const json::exception& e) {
    throw std::invalid_argument(std::string("messaging settings: ") + e.what());
  }
  return s;
}

}  // namespace reos::messaging
