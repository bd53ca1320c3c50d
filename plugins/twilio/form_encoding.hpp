// form_encoding.hpp — application/x-www-form-urlencoded, both ways, keeping every pair in
// order (Twilio may repeat a key; its signature covers each value).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace twilio {

using FormParams = std::vector<std::pair<std::string, std::string>>;

/// Decodes "a=1&b=x+y&c=%2B1" ('+' is a space, %XX a byte); pairs without '=' get "".
FormParams parse_form(std::string_view text);

/// Encodes pairs for a request body or query (unreserved bytes kept, space as %20).
std::string encode_form(const FormParams& params);

/// The first value of `key`, or "".
std::string form_value(const FormParams& params, std::string_view key);

/// The query string of `url` (after '?', before '#'), "" when none.
std::string_view url_query(std::string_view url);

}  // namespace twilio
