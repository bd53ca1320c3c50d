// twilio_settings.hpp — the twilio connector's settings (docs/providers.md) and their schema.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

namespace twilio {

struct Settings {
  std::string account_sid;            ///< AC…, in the Messages URL
  std::string auth_token;             ///< secret reference; signs webhooks, and sends without a key
  std::string api_key_sid;            ///< SK…: send with an API key instead of the auth token
  std::string api_key_secret;         ///< secret reference, with api_key_sid
  std::string from;                   ///< default sender (E.164) …
  std::string messaging_service_sid;  ///< … or a Messaging Service (MG…)
  std::string status_callback_url;    ///< default StatusCallback when the message has none
  std::string help_reply;             ///< the reply to HELP ("" = none)
  std::string base_url = "https://api.twilio.com";
  unsigned timeout_ms = 0;  ///< 0 = the connector's default
};

/// Reads and checks the settings; throws reos::Invalid naming the key.
Settings parse_settings(const nlohmann::json& settings);

/// JSON Schema (draft-07) of the settings.
extern const char kSettingsSchema[];

}  // namespace twilio
