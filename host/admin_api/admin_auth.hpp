#pragma once

#include <array>
#include <optional>
#include <string>

#include "http/http_types.hpp"

namespace reos::admin_api {

/// Checks `Authorization: Bearer <token>` against the admin token. Keeps only the token's
/// SHA-256 digest and compares digests with CRYPTO_memcmp, so the comparison takes the same
/// time whatever the presented token is (its length included). Never logs a token.
/// Thread-safe (immutable after construction).
class AdminAuth {
 public:
  /// `token` empty: the admin API is disabled and every request is refused saying so.
  explicit AdminAuth(const std::string& token);

  /// nullopt when `request` carries the admin token; otherwise the 401 problem+json response
  /// (with `WWW-Authenticate: Bearer realm="reos-admin"`) to send instead. Logs each refusal
  /// at warn with the reason, never the presented value.
  std::optional<http::Response> check(const http::Request& request) const;

  bool enabled() const { return enabled_; }

 private:
  bool enabled_;
  std::array<unsigned char, 32> digest_{};
};

}  // namespace reos::admin_api
