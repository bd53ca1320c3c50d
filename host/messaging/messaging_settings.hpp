#pragma once

// A tenant's `messaging:` section (schemas/config/tenant.json, docs/messaging.md): templates,
// the postal address every marketing email carries, sender defaults and the unsubscribe
// secret. Loaded from the config the hub already validated (config check rejects bad ones).

#include <map>
#include <string>
#include <vector>

namespace reos::messaging {

/// One named template. Email: subject plus text and/or html; SMS: text only.
struct MessageTemplate {
  std::string name;
  std::string channel;  ///< "email" | "sms"
  std::string subject;
  std::string text;
  std::string html;
  std::vector<std::string> variables;       ///< caller data the template uses (top-level keys)
  std::vector<std::string> html_variables;  ///< variables allowed unescaped ({{{x}}}) in html
};

struct MessagingSettings {
  std::string postal_address;           ///< CAN-SPAM: required to send marketing email
  std::string public_url;               ///< base of unsubscribe links, e.g. https://hub.example
  std::string unsubscribe_secret_name;  ///< an entry of the tenant's `secrets:`
  int unsubscribe_ttl_days = 60;
  std::string email_from, email_from_name, email_reply_to;
  std::string sms_from;
  std::map<std::string, MessageTemplate> templates;
};

/// Parses the section (JSON text as kept in TenantConfig::messaging_json; "" = none).
/// Throws std::invalid_argument on a shape the schema would have rejected.
MessagingSettings parse_messaging_settings(const std::string& json_text);

}  // namespace reos::messaging
