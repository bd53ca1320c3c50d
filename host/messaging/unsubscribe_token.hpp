#pragma once

// The signed, expiring token in every marketing email's unsubscribe link (docs/messaging.md,
// "Unsubscribe"): base64url(JSON claims) "." base64url(HMAC-SHA256(tenant secret,
// "reos-unsubscribe-v1." + first part)). The tenant is readable before verification so the
// endpoint can pick the tenant's secret; nothing in the token is trusted until the MAC checks.

#include <cstdint>
#include <optional>
#include <string>

namespace reos::messaging {

struct UnsubscribeClaims {
  std::string tenant;
  std::string channel;          ///< "email" | "sms"
  std::string address;          ///< normalized
  std::string message_id;       ///< the message the link was in ("" when none)
  std::int64_t expires_at = 0;  ///< Unix seconds
};

/// Signs `claims` with `secret` (must not be empty: throws std::invalid_argument).
std::string sign_unsubscribe_token(const UnsubscribeClaims& claims, const std::string& secret);

/// The tenant named in a well-formed token (unverified), or nullopt.
std::optional<std::string> unsubscribe_token_tenant(const std::string& token);

enum class TokenCheck { valid, malformed, bad_signature, expired };

/// Verifies the MAC (constant-time) and then the expiry against `now_unix`; fills `claims` when
/// valid.
TokenCheck verify_unsubscribe_token(const std::string& token, const std::string& secret,
                                    std::int64_t now_unix, UnsubscribeClaims& claims);

}  // namespace reos::messaging
