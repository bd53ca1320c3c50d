// rets_login.hpp — the Login reply: capability URLs from <RETS-RESPONSE> ("Name=value"
// lines, spaces around '=' allowed, '=' allowed in the value) resolved against the Login URL
// (relative like "/rets2_1/Search" or absolute), and URL helpers.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace rets {

/// Name → value of every "Name=value" line of a RETS-RESPONSE body (trimmed; CR/LF lines).
std::map<std::string, std::string> parse_capabilities(std::string_view response_text);

/// `ref` resolved against `base` (an absolute http(s) URL): absolute refs as they are,
/// "/path" on base's scheme://authority, "path" next to base's last segment.
std::string resolve_url(std::string_view base, std::string_view ref);

/// The path and query of an absolute URL ("/rets/Search?x=1"), for Digest's uri.
std::string request_uri(std::string_view url);

/// Percent-encoding of a query value (RFC 3986 unreserved kept).
std::string url_encode(std::string_view value);

/// Capability URLs of a Login, resolved. Missing ones are "".
struct Capabilities {
  std::string search;
  std::string get_metadata;
  std::string get_object;
  std::string logout;
  std::map<std::string, std::string> all;  ///< every line, as sent
};

/// Builds Capabilities from a Login reply's RETS-RESPONSE text and the Login URL.
Capabilities capabilities_from_login(std::string_view response_text, std::string_view login_url);

}  // namespace rets
