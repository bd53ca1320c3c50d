#pragma once

// HS256 JSON Web Tokens (RFC 7519) with libjwt, hardened per RFC 8725: the algorithm is
// pinned (the header's `alg` is checked before libjwt sees the token, so `none` and any
// other algorithm are refused), the signature segment must be canonical base64url, the key
// is chosen by `kid`, and exp / nbf / iat are checked against an injectable clock.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "auth/auth_settings.hpp"

namespace reos::auth {

/// Why a token was refused (for logs and tests; clients only ever see "invalid token").
enum class JwtError {
  malformed,
  bad_algorithm,
  unknown_key,
  bad_signature,
  expired,
  not_yet_valid,
  issued_in_future,
  missing_claim,
};
const char* to_string(JwtError e);

/// The verified claims, or why verification failed.
struct JwtResult {
  std::optional<JwtError> error;
  std::string claims_json;  ///< the payload as received (valid JSON) when !error
  std::string kid;          ///< the header's kid ("" when absent)
};

/// Thread-safe (immutable).
class JwtCodec {
 public:
  /// Throws std::invalid_argument when `keys` is empty or a secret is shorter than 32 bytes
  /// (`allow_short_keys` lets the RFC test vector's 64-byte key and a "wrong key" through).
  JwtCodec(std::vector<JwtKey> keys, std::chrono::seconds leeway, Clock clock = {},
           bool allow_short_keys = false);

  /// Signs `claims_json` (an object) with the first key, adding the header kid.
  std::string sign(const std::string& claims_json) const;

  /// Verifies `token`: HS256 only, the key named by `kid` (every key in turn when the header
  /// has none), a canonical signature, and — when present — exp, nbf and iat against the
  /// clock with the leeway. `required` claims must be present.
  JwtResult verify(const std::string& token, const std::vector<std::string>& required = {}) const;

  std::chrono::system_clock::time_point now() const;

 private:
  std::vector<JwtKey> keys_;
  std::chrono::seconds leeway_;
  Clock clock_;
};

/// base64url without padding (RFC 4648 §5).
std::string base64url_encode(const std::string& bytes);
/// Strict decoding: nullopt for padding, bad characters or non-zero unused trailing bits.
std::optional<std::string> base64url_decode(const std::string& text);

}  // namespace reos::auth
