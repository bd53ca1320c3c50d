// oauth2_token_cache.hpp — the access token of a connector: OAuth 2.0 client credentials
// (RFC 6749 §4.4) against settings.token_url, cached in the instance (never written to the
// database or logs) and fetched again shortly before it expires or when the API refused it.
// auth: bearer uses a fixed token from a secret reference; auth: none sends nothing.
#pragma once

#include <chrono>
#include <optional>
#include <reos/plugin.hpp>
#include <string>

#include "reso_settings.hpp"

namespace reso {

class TokenCache {
 public:
  using Clock = std::chrono::steady_clock;

  explicit TokenCache(const Settings& settings) : settings_(settings) {}

  /// The Authorization header value ("Bearer …"; "" with auth: none). Fetches a token when
  /// none is cached or the cached one is within the refresh margin of its expiry. Throws
  /// reos::Invalid when the token endpoint refuses the client (400/401 with an OAuth error),
  /// reos::Retry for 5xx/429/transport trouble, std::runtime_error for a reply without a token.
  std::string authorization(reos::Call& call, Clock::time_point now = Clock::now());

  /// Forgets the cached token: the API answered 401 with it (revoked or expired early).
  void invalidate() { token_.clear(); }

  /// Tokens fetched from the token endpoint so far.
  int fetches() const noexcept { return fetches_; }
  /// true when a fixed or fetched token is at hand.
  bool has_token() const noexcept { return !token_.empty(); }

 private:
  void fetch(reos::Call& call, Clock::time_point now);

  const Settings& settings_;
  std::string token_;
  std::optional<Clock::time_point> refresh_at_;  ///< nullopt: no expiry given (kept until 401)
  int fetches_ = 0;
};

/// RFC 4648 base64 (for the Basic client authentication).
std::string base64(std::string_view bytes);

}  // namespace reso
