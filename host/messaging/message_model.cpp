#include "messaging/message_model.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "messaging/contact_lookup.hpp"
#include "messaging/messaging_settings.hpp"

namespace reos::messaging {

const std::vector<std::string>& builtin_variables() {
  static const std::vector<std::string> kVariables = {
      "contact.id",        "contact.first_name",    "contact.last_name",
      "contact.full_name", "contact.email",         "contact.phone",
      "recipient.address", "recipient.name",        "tenant.id",
      "tenant.name",       "tenant.postal_address", "sender.email",
      "sender.name",       "sender.phone",          "message.id",
      "message.channel",   "unsubscribe_url"};
  return kVariables;
}

bool is_builtin(const std::string& path) {
  static const std::vector<std::string> kObjects = {"contact", "recipient", "tenant", "sender",
                                                    "message"};
  const auto& all = builtin_variables();
  return std::find(all.begin(), all.end(), path) != all.end() ||
         std::find(kObjects.begin(), kObjects.end(), path) != kObjects.end();
}

nlohmann::json build_model(const ModelInput& in, const MessagingSettings& settings,
                           const nlohmann::json& data) {
  nlohmann::json model = data.is_object() ? data : nlohmann::json::object();
  nlohmann::json contact = nlohmann::json::object();
  if (in.contact) {
    const ContactInfo& c = *in.contact;
    const std::string full =
        c.first_name + (c.first_name.empty() || c.last_name.empty() ? "" : " ") + c.last_name;
    contact = {{"id", c.id},        {"first_name", c.first_name}, {"last_name", c.last_name},
               {"full_name", full}, {"email", c.email},           {"phone", c.phone}};
  }
  model["contact"] = contact;
  model["recipient"] = {{"address", in.recipient}, {"name", in.recipient_name}};
  model["tenant"] = {
      {"id", in.tenant_id}, {"name", in.tenant_name}, {"postal_address", settings.postal_address}};
  model["sender"] = {{"email", settings.email_from},
                     {"name", settings.email_from_name},
                     {"phone", settings.sms_from}};
  model["message"] = {{"id", in.message_id}, {"channel", in.channel}};
  model["unsubscribe_url"] = in.unsubscribe_url;
  return model;
}

}  // namespace reos::messaging
