// rets_settings.hpp — the settings of the rets source: JSON Schema and parsing. Bad settings
// throw reos::Invalid naming the key.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace rets {

struct Settings {
  std::string login_url;  ///< absolute http(s) URL of the Login transaction
  std::string username;
  std::string password;                      ///< a secret reference: ${ENV} or file:/path
  std::string user_agent = "reos-rets/1.0";  ///< User-Agent; some servers key on it
  std::string ua_password;                   ///< secret reference; "" = no RETS-UA-Authorization
  std::string rets_version = "RETS/1.7.2";   ///< RETS/1.7.2 or RETS/1.8
  std::string auth = "digest";               ///< digest (answers the challenge) or basic
  std::string resource = "Property";
  std::string search_class;                ///< settings key "class"
  std::string query;                       ///< DMQL2, ANDed with the timestamp cursor
  std::string select;                      ///< comma-separated fields, "" = all
  int limit = 2500;                        ///< rows per page (Limit)
  std::string format = "COMPACT-DECODED";  ///< or COMPACT
  std::string timestamp_field = "ModificationTimestamp";
  std::string key_field;             ///< e.g. ListingKey; used to detect ignored Offset
  bool standard_names = false;       ///< StandardNames=1
  bool photos = false;               ///< GetObject every page's photos into blobs
  std::string photo_type = "Photo";  ///< GetObject Type
  bool photo_location = false;       ///< GetObject Location=1: photo URLs, not bytes
  int timeout_ms = 0;                ///< per request; 0 = the connector's default
};

/// JSON Schema (draft-07) of the settings, for the descriptor.
extern const char kSettingsSchema[];

Settings parse_settings(const nlohmann::json& settings);

}  // namespace rets
