// Settings of the twilio plugin.
#include "twilio_settings.hpp"

#include <reos/plugin.hpp>

namespace twilio {

const char kSettingsSchema[] = R"schema({
  "type": "object",
  "required": ["account_sid", "auth_token"],
  "additionalProperties": false,
  "properties": {
    "account_sid": {"type": "string", "pattern": "^AC[0-9a-fA-F]{32}$"},
    "auth_token": {"type": "string", "minLength": 1},
    "api_key_sid": {"type": "string", "pattern": "^SK[0-9a-fA-F]{32}$"},
    "api_key_secret": {"type": "string", "minLength": 1},
    "from": {"type": "string"},
    "messaging_service_sid": {"type": "string", "pattern": "^MG[0-9a-fA-F]{32}$"},
    "status_callback_url": {"type": "string", "pattern": "^https?://"},
    "help_reply": {"type": "string"},
    "base_url": {"type": "string", "pattern": "^https?://"},
    "timeout_ms": {"type": "integer", "minimum": 0}
  }
})schema";

namespace {

std::string text(const nlohmann::json& s, const char* key) {
  if (!s.contains(key)) return "";
  if (!s.at(key).is_string())
    throw reos::Invalid(std::string("settings.") + key + ": expected a string");
  return s.at(key).get<std::string>();
}

bool is_reference(const std::string& v) {
  return v.rfind("${", 0) == 0 || v.rfind("file:", 0) == 0;
}

bool sid(const std::string& v, const char* prefix) {
  if (v.size() != 34 || v.compare(0, 2, prefix) != 0) return false;
  for (std::size_t i = 2; i < v.size(); ++i)
    if (!std::isxdigit(static_cast<unsigned char>(v[i]))) return false;
  return true;
}

}  // namespace

Settings parse_settings(const nlohmann::json& s) {
  Settings out;
  out.account_sid = text(s, "account_sid");
  if (!sid(out.account_sid, "AC"))
    throw reos::Invalid("settings.account_sid: expected AC followed by 32 hex digits");
  out.auth_token = text(s, "auth_token");
  if (!is_reference(out.auth_token))
    throw reos::Invalid(
        "settings.auth_token: must be a secret reference (${ENV_NAME} or file:/path)");
  out.api_key_sid = text(s, "api_key_sid");
  out.api_key_secret = text(s, "api_key_secret");
  if (!out.api_key_sid.empty() && !sid(out.api_key_sid, "SK"))
    throw reos::Invalid("settings.api_key_sid: expected SK followed by 32 hex digits");
  if (out.api_key_sid.empty() != out.api_key_secret.empty())
    throw reos::Invalid("settings.api_key_secret: api_key_sid and api_key_secret go together");
  if (!out.api_key_secret.empty() && !is_reference(out.api_key_secret))
    throw reos::Invalid("settings.api_key_secret: must be a secret reference");
  out.from = text(s, "from");
  out.messaging_service_sid = text(s, "messaging_service_sid");
  if (!out.messaging_service_sid.empty() && !sid(out.messaging_service_sid, "MG"))
    throw reos::Invalid("settings.messaging_service_sid: expected MG followed by 32 hex digits");
  out.status_callback_url = text(s, "status_callback_url");
  out.help_reply = text(s, "help_reply");
  if (s.contains("base_url")) out.base_url = text(s, "base_url");
  while (!out.base_url.empty() && out.base_url.back() == '/') out.base_url.pop_back();
  if (out.base_url.rfind("http://", 0) != 0 && out.base_url.rfind("https://", 0) != 0)
    throw reos::Invalid("settings.base_url: expected an http:// or https:// URL");
  if (s.contains("timeout_ms")) {
    if (!s.at("timeout_ms").is_number_unsigned())
      throw reos::Invalid("settings.timeout_ms: expected an integer >= 0");
    out.timeout_ms = s.at("timeout_ms").get<unsigned>();
  }
  return out;
}

}  // namespace twilio
