// Settings of the rets source (see the header).
#include "rets_settings.hpp"

#include <reos/plugin.hpp>

namespace rets {

const char kSettingsSchema[] = R"json({
  "$schema": "http://json-schema.org/draft-07/schema#",
  "type": "object",
  "additionalProperties": false,
  "required": ["login_url", "username", "password", "class"],
  "properties": {
    "login_url": {"type": "string", "pattern": "^https?://"},
    "username": {"type": "string", "minLength": 1},
    "password": {"type": "string", "minLength": 1, "description": "secret reference"},
    "user_agent": {"type": "string", "minLength": 1},
    "ua_password": {"type": "string", "description": "secret reference"},
    "rets_version": {"enum": ["RETS/1.7.2", "RETS/1.8", "RETS/1.7", "RETS/1.5"]},
    "auth": {"enum": ["digest", "basic"]},
    "resource": {"type": "string", "minLength": 1},
    "class": {"type": "string", "minLength": 1},
    "query": {"type": "string"},
    "select": {"type": "string"},
    "limit": {"type": "integer", "minimum": 1, "maximum": 100000},
    "format": {"enum": ["COMPACT-DECODED", "COMPACT"]},
    "timestamp_field": {"type": "string", "minLength": 1},
    "key_field": {"type": "string"},
    "standard_names": {"type": "boolean"},
    "photos": {"type": "boolean"},
    "photo_type": {"type": "string", "minLength": 1},
    "photo_location": {"type": "boolean"},
    "timeout_ms": {"type": "integer", "minimum": 0}
  }
})json";

namespace {

[[noreturn]] void refuse(const std::string& key, const std::string& why) {
  throw reos::Invalid("settings." + key + ": " + why);
}

void read_string(const nlohmann::json& s, const char* key, std::string& out, bool required,
                 bool non_empty) {
  const auto it = s.find(key);
  if (it == s.end()) {
    if (required) refuse(key, "is required");
    return;
  }
  if (!it->is_string()) refuse(key, "expected a string");
  out = it->get<std::string>();
  if (non_empty && out.empty()) refuse(key, "expected a non-empty string");
}

}  // namespace

Settings parse_settings(const nlohmann::json& s) {
  static const char* kKeys[] = {"login_url",   "username",        "password",   "user_agent",
                                "ua_password", "rets_version",    "auth",       "resource",
                                "class",       "query",           "select",     "limit",
                                "format",      "timestamp_field", "key_field",  "standard_names",
                                "timeout_ms",  "photos",          "photo_type", "photo_location"};
  for (const auto& [key, unused] : s.items()) {
    bool known = false;
    for (const char* k : kKeys) known = known || key == k;
    if (!known) refuse(key, "unknown key");
  }
  Settings out;
  read_string(s, "login_url", out.login_url, true, true);
  if (out.login_url.rfind("http://", 0) != 0 && out.login_url.rfind("https://", 0) != 0)
    refuse("login_url", "expected an absolute http:// or https:// URL");
  read_string(s, "username", out.username, true, true);
  read_string(s, "password", out.password, true, true);
  read_string(s, "user_agent", out.user_agent, false, true);
  read_string(s, "ua_password", out.ua_password, false, false);
  read_string(s, "rets_version", out.rets_version, false, true);
  read_string(s, "auth", out.auth, false, true);
  if (out.auth != "digest" && out.auth != "basic") refuse("auth", "expected digest or basic");
  read_string(s, "resource", out.resource, false, true);
  read_string(s, "class", out.search_class, true, true);
  read_string(s, "query", out.query, false, false);
  read_string(s, "select", out.select, false, false);
  read_string(s, "format", out.format, false, true);
  if (out.format != "COMPACT-DECODED" && out.format != "COMPACT")
    refuse("format", "expected COMPACT-DECODED or COMPACT");
  read_string(s, "timestamp_field", out.timestamp_field, false, true);
  read_string(s, "key_field", out.key_field, false, false);
  if (const auto it = s.find("limit"); it != s.end()) {
    if (!it->is_number_integer() || it->get<long long>() < 1 || it->get<long long>() > 100000)
      refuse("limit", "expected an integer from 1 to 100000");
    out.limit = it->get<int>();
  }
  if (const auto it = s.find("timeout_ms"); it != s.end()) {
    if (!it->is_number_integer() || it->get<long long>() < 0)
      refuse("timeout_ms", "expected a non-negative integer");
    out.timeout_ms = it->get<int>();
  }
  if (const auto it = s.find("standard_names"); it != s.end()) {
    if (!it->is_boolean()) refuse("standard_names", "expected true or false");
    out.standard_names = it->get<bool>();
  }
  if (const auto it = s.find("photos"); it != s.end()) {
    if (!it->is_boolean()) refuse("photos", "expected true or false");
    out.photos = it->get<bool>();
  }
  read_string(s, "photo_type", out.photo_type, false, true);
  if (const auto it = s.find("photo_location"); it != s.end()) {
    if (!it->is_boolean()) refuse("photo_location", "expected true or false");
    out.photo_location = it->get<bool>();
  }
  if (out.photos && out.key_field.empty())
    refuse("key_field", "is required with photos: true (GetObject asks by key)");
  return out;
}

}  // namespace rets
