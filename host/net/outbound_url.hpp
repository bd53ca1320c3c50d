#pragma once

// Checks and redaction for the URLs plugins ask the host to call.

#include <string>
#include <string_view>

namespace reos::net {

/// "" when `url` is an absolute http:// or https:// URL with a host; otherwise a message
/// naming the problem, e.g. "unsupported scheme 'file' (only http and https are allowed)".
/// The message never repeats the URL (it may carry credentials).
std::string check_outbound_url(std::string_view url);

/// `url` without what may be secret — user info, query and fragment — for logs and error
/// messages: "https://user:pw@api.example/v1/x?key=s" → "https://api.example/v1/x".
/// Returns "<invalid url>" when it cannot be parsed.
std::string redact_url(std::string_view url);

}  // namespace reos::net
