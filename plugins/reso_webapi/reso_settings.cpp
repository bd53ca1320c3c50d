// Settings of the reso_webapi source (see the header).
#include "reso_settings.hpp"

#include <reos/plugin.hpp>

namespace reso {

const char kSettingsSchema[] = R"json({
  "$schema": "http://json-schema.org/draft-07/schema#",
  "type": "object",
  "additionalProperties": false,
  "required": ["base_url"],
  "properties": {
    "base_url": {"type": "string", "pattern": "^https?://", "description": "OData service root"},
    "resource": {"type": "string", "minLength": 1},
    "auth": {"enum": ["oauth2", "bearer", "none"]},
    "token_url": {"type": "string", "pattern": "^https?://"},
    "client_id": {"type": "string", "minLength": 1, "description": "secret reference"},
    "client_secret": {"type": "string", "minLength": 1, "description": "secret reference"},
    "scope": {"type": "string"},
    "client_auth": {"enum": ["basic", "post"]},
    "access_token": {"type": "string", "minLength": 1, "description": "secret reference"},
    "token_refresh_margin_s": {"type": "integer", "minimum": 0, "maximum": 3600},
    "filter": {"type": "string"},
    "select": {"type": "string"},
    "expand": {"type": "string"},
    "page_size": {"type": "integer", "minimum": 1, "maximum": 10000},
    "paging": {"enum": ["keyset", "next_link"]},
    "timestamp_field": {"type": "string", "minLength": 1},
    "key_field": {"type": "string", "minLength": 1},
    "check_metadata": {"type": "boolean"},
    "timeout_ms": {"type": "integer", "minimum": 0}
  }
})json";

namespace {

[[noreturn]] void refuse(const std::string& key, const std::string& why) {
  throw reos::Invalid("settings." + key + ": " + why);
}

void read_string(const nlohmann::json& s, const char* key, std::string& out, bool non_empty) {
  const auto it = s.find(key);
  if (it == s.end()) return;
  if (!it->is_string()) refuse(key, "expected a string");
  out = it->get<std::string>();
  if (non_empty && out.empty()) refuse(key, "expected a non-empty string");
}

void read_int(const nlohmann::json& s, const char* key, int& out, long long lo, long long hi) {
  const auto it = s.find(key);
  if (it == s.end()) return;
  if (!it->is_number_integer() || it->get<long long>() < lo || it->get<long long>() > hi)
    refuse(key, "expected an integer from " + std::to_string(lo) + " to " + std::to_string(hi));
  out = it->get<int>();
}

void one_of(const std::string& key, const std::string& value,
            std::initializer_list<const char*> allowed) {
  std::string list;
  for (const char* a : allowed) {
    if (value == a) return;
    list += (list.empty() ? "" : " or ") + std::string(a);
  }
  refuse(key, "expected " + list);
}

bool http_url(const std::string& url) {
  return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
}

}  // namespace

Settings parse_settings(const nlohmann::json& s) {
  static const char* kKeys[] = {
      "base_url",        "resource",  "auth",           "token_url",    "client_id",
      "client_secret",   "scope",     "client_auth",    "access_token", "token_refresh_margin_s",
      "filter",          "select",    "expand",         "page_size",    "paging",
      "timestamp_field", "key_field", "check_metadata", "timeout_ms"};
  for (const auto& item : s.items()) {
    bool known = false;
    for (const char* k : kKeys) known = known || item.key() == k;
    if (!known) refuse(item.key(), "unknown key");
  }
  Settings out;
  if (!s.contains("base_url")) refuse("base_url", "is required");
  read_string(s, "base_url", out.base_url, true);
  if (!http_url(out.base_url)) refuse("base_url", "expected an absolute http:// or https:// URL");
  while (!out.base_url.empty() && out.base_url.back() == '/') out.base_url.pop_back();
  read_string(s, "resource", out.resource, true);
  read_string(s, "auth", out.auth, true);
  one_of("auth", out.auth, {"oauth2", "bearer", "none"});
  read_string(s, "token_url", out.token_url, true);
  read_string(s, "client_id", out.client_id, true);
  read_string(s, "client_secret", out.client_secret, true);
  read_string(s, "scope", out.scope, false);
  read_string(s, "client_auth", out.client_auth, true);
  one_of("client_auth", out.client_auth, {"basic", "post"});
  read_string(s, "access_token", out.access_token, true);
  read_int(s, "token_refresh_margin_s", out.token_refresh_margin_s, 0, 3600);
  if (out.auth == "oauth2") {
    if (out.token_url.empty()) refuse("token_url", "is required with auth: oauth2");
    if (!http_url(out.token_url)) refuse("token_url", "expected an absolute http(s) URL");
    if (out.client_id.empty()) refuse("client_id", "is required with auth: oauth2");
    if (out.client_secret.empty()) refuse("client_secret", "is required with auth: oauth2");
  }
  if (out.auth == "bearer" && out.access_token.empty())
    refuse("access_token", "is required with auth: bearer");
  read_string(s, "filter", out.filter, false);
  read_string(s, "select", out.select, false);
  read_string(s, "expand", out.expand, false);
  read_int(s, "page_size", out.page_size, 1, 10000);
  read_string(s, "paging", out.paging, true);
  one_of("paging", out.paging, {"keyset", "next_link"});
  read_string(s, "timestamp_field", out.timestamp_field, true);
  read_string(s, "key_field", out.key_field, true);
  if (const auto it = s.find("check_metadata"); it != s.end()) {
    if (!it->is_boolean()) refuse("check_metadata", "expected true or false");
    out.check_metadata = it->get<bool>();
  }
  read_int(s, "timeout_ms", out.timeout_ms, 0, 600000);
  return out;
}

}  // namespace reso
