#pragma once

// Parsing of the Retry-After response header (RFC 9110 §10.2.3), which 429 and 503
// responses use to say when the client may come back.

#include <chrono>
#include <optional>
#include <string_view>

namespace reos::net {

/// The delay a Retry-After value asks for, measured from `now`:
///  - delay-seconds ("120"): that many seconds (values beyond ~30 years are clamped);
///  - HTTP-date in any of the three formats a recipient must accept (IMF-fixdate
///    "Sun, 06 Nov 1994 08:49:37 GMT", RFC 850, asctime): the time until then, 0 when past.
/// Surrounding whitespace is ignored. Returns nullopt for anything else (negative or
/// fractional numbers, garbage), so a malformed header simply does not count.
std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now);

}  // namespace reos::net
