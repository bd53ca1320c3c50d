#pragma once

// Settings of the REST API's authentication (hub.yaml `auth:`, docs/auth.md).

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace reos::auth {

/// One HS256 signing key. The first configured key signs new tokens; every key verifies, so
/// a new key can be put first while tokens signed with the old one stay valid until expiry.
struct JwtKey {
  std::string kid;     ///< published in the token header
  std::string secret;  ///< at least 32 bytes; never logged
};

/// Failed logins allowed per `window` before further attempts answer 429 (docs/auth.md).
struct LoginThrottleSettings {
  int per_account = 5;  ///< failures per email address
  int per_ip = 30;      ///< failures per client address
  std::chrono::seconds window{900};
};

struct AuthSettings {
  std::vector<JwtKey> keys;  ///< empty: authentication is not configured (503)
  std::chrono::seconds access_ttl{900};
  std::chrono::seconds refresh_ttl{30 * 24 * 3600};
  std::chrono::seconds leeway{30};  ///< clock skew tolerated on exp / nbf / iat
  std::string issuer = "reos";
  LoginThrottleSettings throttle;
};

/// The wall clock, injectable so tests can verify tokens "in 2011" or "an hour later".
using Clock = std::function<std::chrono::system_clock::time_point()>;

}  // namespace reos::auth
