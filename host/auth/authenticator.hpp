#pragma once

// Resolves who is calling the REST API (docs/auth.md):
//   Authorization: Bearer <JWT access token>   → a user acting in the token's tenant
//   Authorization: Bearer reos_<prefix>_<secret> or X-Api-Key: reos_… → an API key
// Access tokens are verified without a database round trip (they live access_ttl, 15 min by
// default); API keys are looked up by prefix and compared by SHA-256 digest.

#include <memory>
#include <string>

#include "api/api_context.hpp"
#include "auth/auth_settings.hpp"

namespace reos::auth {
class JwtCodec;
class LoginThrottle;
}  // namespace reos::auth

namespace reos::api {

/// Thread-safe.
class Authenticator {
 public:
  /// `settings.keys` empty: not configured — every authenticated route answers 503.
  Authenticator(db::ConnectionPool& pool, auth::AuthSettings settings, auth::Clock clock = {});
  ~Authenticator();

  bool configured() const { return static_cast<bool>(jwt_); }
  /// The caller of `request`; throws ApiError 401 (with WWW-Authenticate) when there is no
  /// valid credential, 503 when authentication is not configured.
  Caller authenticate(const http::Request& request) const;

  /// A signed access token for `user_id` acting as `role` in `tenant_id`.
  std::string issue_access_token(const std::string& user_id, const std::string& tenant_id,
                                 Role role) const;

  /// Throws ApiError 503 unless configured().
  void require_configured() const;
  const auth::AuthSettings& settings() const { return settings_; }
  auth::LoginThrottle& throttle() const { return *throttle_; }
  std::chrono::system_clock::time_point now() const { return clock_(); }
  db::ConnectionPool& pool() const { return pool_; }

 private:
  Caller from_access_token(const std::string& token) const;
  Caller from_api_key(const std::string& key) const;

  db::ConnectionPool& pool_;
  auth::AuthSettings settings_;
  auth::Clock clock_;
  std::unique_ptr<auth::JwtCodec> jwt_;
  std::unique_ptr<auth::LoginThrottle> throttle_;
};

/// The 401 every credential failure answers (the reason goes to the log, not the client).
[[noreturn]] void throw_unauthorized(const std::string& detail);

}  // namespace reos::api
