// reso_http.hpp — requests through the host's HTTP service (host->http) that keep what the
// C++ wrapper drops: when the host gives up on a 429/503 (its retries ran out, or the
// server's Retry-After would pass the call's deadline) the last response is still there, and
// its Retry-After becomes the REOS_RETRY delay. The body is borrowed, not copied.
#pragma once

#include <cstdint>
#include <ctime>
#include <optional>
#include <reos/plugin.hpp>
#include <string_view>
#include <utility>
#include <vector>

namespace reso {

/// A response, borrowed from the host until the plugin callback returns.
struct Reply {
  int status = 0;
  std::vector<std::pair<std::string_view, std::string_view>> headers;
  std::string_view body;

  /// The first header called `name` (case-insensitive).
  std::optional<std::string_view> header(std::string_view name) const;
};

/// Sends `request`. Returns any response that arrived (any status). Throws reos::Retry when
/// the host gave up (with the Retry-After of the last 429/503 response as the delay), and
/// reos::ServiceError on a permanent transport error (bad URL, TLS, body too large).
Reply send(reos::Call& call, const reos::HttpRequest& request);

/// Retry-After (RFC 9110 §10.2.3: delay-seconds or an IMF-fixdate) in milliseconds from
/// `now`; nullopt when absent or malformed.
std::optional<std::uint64_t> retry_after_ms(std::string_view value, std::time_t now);

/// "HTTP 503: <first 200 bytes of the body on one line>", for messages.
std::string describe(const char* what, const Reply& reply);

}  // namespace reso
