// reso_settings.hpp — the settings of the reso_webapi source: JSON Schema and parsing. Bad
// settings throw reos::Invalid naming the key (docs/reso-webapi.md lists them).
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

namespace reso {

struct Settings {
  std::string base_url;  ///< the OData service root, e.g. https://api.mls.com/odata
  std::string resource = "Property";
  std::string auth = "oauth2";        ///< oauth2 (client credentials), bearer (a fixed token), none
  std::string token_url;              ///< oauth2: the token endpoint
  std::string client_id;              ///< oauth2: a secret reference (${ENV} or file:/path)
  std::string client_secret;          ///< oauth2: a secret reference
  std::string scope;                  ///< oauth2: optional scope
  std::string client_auth = "basic";  ///< basic (RFC 6749 §2.3.1) or post (in the form body)
  std::string access_token;           ///< bearer: a secret reference
  int token_refresh_margin_s = 60;    ///< refresh this long before expiry (at most 1/5 of it)
  std::string filter;                 ///< OData $filter ANDed with the replication cursor
  std::string select;                 ///< $select (the key and timestamp fields are added)
  std::string expand = "Media";       ///< $expand; "" = none
  int page_size = 1000;               ///< $top
  std::string paging = "keyset";      ///< keyset (a fresh query per page) or next_link
  std::string timestamp_field = "ModificationTimestamp";
  std::string key_field = "ListingKey";
  bool check_metadata = true;  ///< check the fields against $metadata on the first pull
  int timeout_ms = 0;          ///< per request; 0 = the connector's default
};

/// JSON Schema (draft-07) of the settings, for the descriptor.
extern const char kSettingsSchema[];

Settings parse_settings(const nlohmann::json& settings);

}  // namespace reso
