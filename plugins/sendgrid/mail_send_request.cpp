// The SendGrid v3 Mail Send body for one message.
#include "mail_send_request.hpp"

#include <reos/plugin.hpp>

namespace sendgrid {

namespace {

/// message[key] as a string: "" when absent; reos::Invalid when present but not a string.
std::string field(const nlohmann::json& message, const char* key) {
  const auto it = message.find(key);
  if (it == message.end() || it->is_null()) return "";
  if (!it->is_string()) throw reos::Invalid(std::string("message.") + key + ": expected a string");
  return it->get<std::string>();
}

std::string required(const nlohmann::json& message, const char* key) {
  std::string value = field(message, key);
  if (value.empty()) throw reos::Invalid(std::string("message.") + key + ": required");
  return value;
}

nlohmann::json address(const std::string& email, const std::string& name) {
  nlohmann::json a = {{"email", email}};
  if (!name.empty()) a["name"] = name;
  return a;
}

nlohmann::json attachments(const nlohmann::json& list) {
  if (!list.is_array()) throw reos::Invalid("message.attachments: expected an array");
  nlohmann::json out = nlohmann::json::array();
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string at = "message.attachments[" + std::to_string(i) + "].";
    const nlohmann::json& a = list[i];
    if (!a.is_object()) throw reos::Invalid(at.substr(0, at.size() - 1) + ": expected an object");
    for (const char* key : {"filename", "content_type", "content_base64"})
      if (!a.contains(key) || !a.at(key).is_string() || a.at(key).get<std::string>().empty())
        throw reos::Invalid(at + key + ": required");
    out.push_back({{"content", a.at("content_base64")},
                   {"type", a.at("content_type")},
                   {"filename", a.at("filename")},
                   {"disposition", "attachment"}});
  }
  return out;
}

}  // namespace

nlohmann::json build_mail_send(const nlohmann::json& message, const Settings& settings) {
  const std::string message_id = required(message, "message_id");
  const std::string tenant = required(message, "tenant");
  const std::string channel = field(message, "channel");
  if (!channel.empty() && channel != "email")
    throw reos::Invalid("message.channel: sendgrid sends email, got '" + channel + "'");
  const std::string to = required(message, "to");
  std::string from = field(message, "from");
  if (from.empty()) from = settings.from;
  if (from.empty()) throw reos::Invalid("message.from: required (or set settings.from)");
  std::string from_name = field(message, "from_name");
  if (from_name.empty()) from_name = settings.from_name;

  nlohmann::json personalization = {
      {"to", nlohmann::json::array({address(to, field(message, "to_name"))})}};
  nlohmann::json body = {{"from", address(from, from_name)}};
  if (const std::string reply_to = field(message, "reply_to"); !reply_to.empty())
    body["reply_to"] = address(reply_to, "");

  const std::string template_id = field(message, "template_id");
  const std::string subject = field(message, "subject");
  const std::string text = field(message, "text");
  const std::string html = field(message, "html");
  if (!template_id.empty()) {
    body["template_id"] = template_id;
    if (const auto data = message.find("template_data"); data != message.end()) {
      if (!data->is_object()) throw reos::Invalid("message.template_data: expected an object");
      personalization["dynamic_template_data"] = *data;
    }
  } else {
    if (subject.empty()) throw reos::Invalid("message.subject: required without template_id");
    if (text.empty() && html.empty())
      throw reos::Invalid("message.text: text or html required without template_id");
  }
  if (!subject.empty()) body["subject"] = subject;
  // SendGrid requires text/plain before text/html when both are given.
  nlohmann::json content = nlohmann::json::array();
  if (!text.empty()) content.push_back({{"type", "text/plain"}, {"value", text}});
  if (!html.empty()) content.push_back({{"type", "text/html"}, {"value", html}});
  if (!content.empty()) body["content"] = std::move(content);

  body["personalizations"] = nlohmann::json::array({std::move(personalization)});
  if (const auto a = message.find("attachments"); a != message.end() && !a->empty())
    body["attachments"] = attachments(*a);
  if (const auto c = message.find("categories"); c != message.end() && !c->empty()) {
    if (!c->is_array()) throw reos::Invalid("message.categories: expected an array of strings");
    for (const auto& v : *c)
      if (!v.is_string()) throw reos::Invalid("message.categories: expected an array of strings");
    body["categories"] = *c;
  }
  body["custom_args"] = {{settings.custom_args_prefix + "message_id", message_id},
                         {settings.custom_args_prefix + "tenant", tenant}};

  const std::string unsubscribe = field(message, "unsubscribe_url");
  if (message.value("marketing", false) && !unsubscribe.empty())
    body["headers"] = {{"List-Unsubscribe", "<" + unsubscribe + ">"},
                       {"List-Unsubscribe-Post", "List-Unsubscribe=One-Click"}};
  if (settings.sandbox_mode) body["mail_settings"] = {{"sandbox_mode", {{"enable", true}}}};
  return body;
}

}  // namespace sendgrid
