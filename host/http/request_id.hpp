#pragma once

#include <string>
#include <string_view>

namespace reos::http {

/// True when a client-supplied X-Request-Id may be echoed: 1–200 printable ASCII characters
/// (0x20–0x7E). Anything else (control bytes, non-ASCII, huge values) could forge log lines
/// or bloat them, so it is replaced by a generated id.
bool is_acceptable_request_id(std::string_view id);

/// A fresh id: 32 lowercase hex digits (128 random bits).
std::string generate_request_id();

/// The incoming id when acceptable, else a generated one.
std::string choose_request_id(std::string_view incoming);

}  // namespace reos::http
