// Settings of the sendgrid plugin.
#include "sendgrid_settings.hpp"

#include <reos/plugin.hpp>

namespace sendgrid {

const char kSettingsSchema[] = R"schema({
  "type": "object",
  "required": ["api_key"],
  "additionalProperties": false,
  "properties": {
    "api_key": {"type": "string", "minLength": 1,
                "description": "secret reference to the API key (mail.send scope)"},
    "base_url": {"type": "string", "pattern": "^https?://"},
    "from": {"type": "string"},
    "from_name": {"type": "string"},
    "custom_args_prefix": {"type": "string", "pattern": "^[a-z0-9_]*$"},
    "webhook_public_key": {"type": "string"},
    "timestamp_tolerance_s": {"type": "integer", "minimum": 0},
    "sandbox_mode": {"type": "boolean"},
    "timeout_ms": {"type": "integer", "minimum": 0}
  }
})schema";

namespace {

std::string text(const nlohmann::json& s, const char* key, std::string fallback) {
  if (!s.contains(key)) return fallback;
  if (!s.at(key).is_string())
    throw reos::Invalid(std::string("settings.") + key + ": expected a string");
  return s.at(key).get<std::string>();
}

}  // namespace

Settings parse_settings(const nlohmann::json& s) {
  Settings out;
  out.api_key = text(s, "api_key", "");
  if (out.api_key.empty()) throw reos::Invalid("settings.api_key: required (a secret reference)");
  if (out.api_key.rfind("${", 0) != 0 && out.api_key.rfind("file:", 0) != 0)
    throw reos::Invalid(
        "settings.api_key: must be a secret reference (${ENV_NAME} or file:/path), not the key");
  out.base_url = text(s, "base_url", out.base_url);
  while (!out.base_url.empty() && out.base_url.back() == '/') out.base_url.pop_back();
  if (out.base_url.rfind("http://", 0) != 0 && out.base_url.rfind("https://", 0) != 0)
    throw reos::Invalid("settings.base_url: expected an http:// or https:// URL");
  out.from = text(s, "from", "");
  out.from_name = text(s, "from_name", "");
  out.custom_args_prefix = text(s, "custom_args_prefix", out.custom_args_prefix);
  out.webhook_public_key = text(s, "webhook_public_key", "");
  if (s.contains("timestamp_tolerance_s")) {
    if (!s.at("timestamp_tolerance_s").is_number_integer() || s.at("timestamp_tolerance_s") < 0)
      throw reos::Invalid("settings.timestamp_tolerance_s: expected an integer >= 0");
    out.timestamp_tolerance_s = s.at("timestamp_tolerance_s").get<long long>();
  }
  if (s.contains("sandbox_mode")) {
    if (!s.at("sandbox_mode").is_boolean())
      throw reos::Invalid("settings.sandbox_mode: expected true or false");
    out.sandbox_mode = s.at("sandbox_mode").get<bool>();
  }
  if (s.contains("timeout_ms")) {
    if (!s.at("timeout_ms").is_number_unsigned())
      throw reos::Invalid("settings.timeout_ms: expected an integer >= 0");
    out.timeout_ms = s.at("timeout_ms").get<unsigned>();
  }
  return out;
}

}  // namespace sendgrid
