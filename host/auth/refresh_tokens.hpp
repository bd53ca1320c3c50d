#pragma once

// Rotating refresh tokens (table refresh_tokens, migrations/0010_auth.sql): opaque random
// strings, stored as SHA-256 digests, one family per login. Rotation marks the presented
// token used and issues its successor in the same family; presenting a used token again
// revokes the family (RFC 6819 §5.2.2.3, OAuth 2.0 Security BCP §4.14).

#include <chrono>
#include <optional>
#include <string>

#include "api/api_context.hpp"

namespace reos::auth {

struct RefreshGrant {
  std::string token;  ///< the new refresh token, shown to the client once
  std::string tenant_id;
  std::string user_id;
  api::Role role = api::Role::viewer;
};

/// Starts a new family for a fresh login, in `tx` (owner connection). Returns the token.
std::string issue_refresh_token(pqxx::transaction_base& tx, const std::string& tenant_id,
                                const std::string& user_id, const http::Request& request,
                                std::chrono::system_clock::time_point now,
                                std::chrono::seconds ttl);

/// Exchanges `token` for a successor. nullopt (and the reason in `why`) when the token is
/// unknown, expired, revoked, reused (then the family is revoked, committed) or the membership
/// behind it is gone or disabled.
std::optional<RefreshGrant> rotate_refresh_token(const api::ApiContext& api,
                                                 const std::string& token,
                                                 const http::Request& request,
                                                 std::chrono::system_clock::time_point now,
                                                 std::chrono::seconds ttl, std::string& why);

/// Revokes the family `token` belongs to (logout) and audits it. False when the token is
/// unknown or its family was already revoked.
bool revoke_refresh_family(const api::ApiContext& api, const std::string& token,
                           const http::Request& request);

/// Revokes every live refresh token of `user_id` in the current tenant (run in a tenant
/// scope: membership disabled or removed).
void revoke_member_sessions(pqxx::transaction_base& tx, const std::string& user_id);

}  // namespace reos::auth
