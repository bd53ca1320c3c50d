// The Twilio Messages API request for one SMS.
#include "messages_request.hpp"

#include <reos/plugin.hpp>

#include "provider_support/base64_codec.hpp"

namespace twilio {

using provider_support::base64_encode;

namespace {

std::string field(const nlohmann::json& message, const char* key) {
  const auto it = message.find(key);
  if (it == message.end() || it->is_null()) return "";
  if (!it->is_string()) throw reos::Invalid(std::string("message.") + key + ": expected a string");
  return it->get<std::string>();
}

std::string required(const nlohmann::json& message, const char* key) {
  std::string v = field(message, key);
  if (v.empty()) throw reos::Invalid(std::string("message.") + key + ": required");
  return v;
}

std::string with_message_id(std::string url, const std::string& message_id) {
  if (url.empty() || url.find("reos_message_id=") != std::string::npos) return url;
  const std::size_t hash = url.find('#');
  const std::string fragment = hash == std::string::npos ? "" : url.substr(hash);
  if (hash != std::string::npos) url.resize(hash);
  url += url.find('?') == std::string::npos ? '?' : '&';
  return url + encode_form({{"reos_message_id", message_id}}) + fragment;
}

}  // namespace

FormParams build_message_form(const nlohmann::json& message, const Settings& settings) {
  const std::string message_id = required(message, "message_id");
  required(message, "tenant");
  const std::string channel = field(message, "channel");
  if (!channel.empty() && channel != "sms")
    throw reos::Invalid("message.channel: twilio sends sms, got '" + channel + "'");
  FormParams form = {{"To", required(message, "to")}, {"Body", required(message, "text")}};
  std::string from = field(message, "from");
  if (from.empty()) from = settings.from;
  if (!from.empty())
    form.emplace_back("From", from);
  else if (!settings.messaging_service_sid.empty())
    form.emplace_back("MessagingServiceSid", settings.messaging_service_sid);
  else
    throw reos::Invalid("message.from: required (or set settings.from / messaging_service_sid)");
  std::string callback = field(message, "status_callback_url");
  if (callback.empty()) callback = settings.status_callback_url;
  if (!callback.empty()) form.emplace_back("StatusCallback", with_message_id(callback, message_id));
  return form;
}

std::string messages_url(const Settings& settings) {
  return settings.base_url + "/2010-04-01/Accounts/" + settings.account_sid + "/Messages.json";
}

std::string basic_authorization(const std::string& user, const std::string& password) {
  return "Basic " + base64_encode(user + ":" + password);
}

}  // namespace twilio
