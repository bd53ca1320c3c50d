// sendgrid_settings.hpp — the sendgrid connector's settings (docs/providers.md) and their
// JSON Schema, checked by the host before create and again here for what a schema cannot say.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

namespace sendgrid {

struct Settings {
  std::string api_key;  ///< a secret reference (`${ENV}` / `file:`), resolved per send
  std::string base_url = "https://api.sendgrid.com";  ///< the test server's URL in tests
  std::string from;                                   ///< default sender address
  std::string from_name;
  std::string custom_args_prefix = "reos_";  ///< custom_args keys: <prefix>message_id, …
  std::string webhook_public_key;            ///< base64 DER (P-256); "" = webhooks refused
  long long timestamp_tolerance_s = 0;       ///< 0 = no timestamp window
  bool sandbox_mode = false;                 ///< mail_settings.sandbox_mode: validate only
  unsigned timeout_ms = 0;                   ///< 0 = the connector's default
};

/// Reads and checks the settings; throws reos::Invalid naming the key ("settings.from: …").
Settings parse_settings(const nlohmann::json& settings);

/// JSON Schema (draft-07) of the settings.
extern const char kSettingsSchema[];

}  // namespace sendgrid
