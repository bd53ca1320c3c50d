#include "auth/refresh_tokens.hpp"

#include <pqxx/pqxx>

#include "auth/secret_token.hpp"
#include "db/tenant_scope.hpp"

namespace reos::auth {
namespace {

double epoch_seconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

// "rt_" marks the kind for people reading logs of their own client; 32 random bytes.
std::string new_token() {
  return "rt_" + random_hex(32);
}

void insert_token(pqxx::transaction_base& tx, const std::string& token, const std::string& family,
                  const std::string& tenant_id, const std::string& user_id,
                  const http::Request& request, std::chrono::system_clock::time_point now,
                  std::chrono::seconds ttl) {
  tx.exec_params(
      "INSERT INTO refresh_tokens (family_id, tenant_id, user_id, token_hash, created_at,"
      " expires_at, user_agent, ip)"
      " VALUES (COALESCE(NULLIF($1, '')::uuid, gen_random_uuid()), $2, $3::uuid,"
      " decode($4, 'hex'), to_timestamp($5), to_timestamp($6), NULLIF($7, ''), NULLIF($8, ''))",
      family, tenant_id, user_id, sha256_hex(token), epoch_seconds(now), epoch_seconds(now + ttl),
      request.header("user-agent").substr(0, 500), request.remote_addr);
}

}  // namespace

std::string issue_refresh_token(pqxx::transaction_base& tx, const std::string& tenant_id,
                                const std::string& user_id, const http::Request& request,
                                std::chrono::system_clock::time_point now,
                                std::chrono::seconds ttl) {
  const std::string token = new_token();
  insert_token(tx, token, "", tenant_id, user_id, request, now, ttl);
  return token;
}

std::optional<RefreshGrant> rotate_refresh_token(const api::ApiContext& api,
                                                 const std::string& token,
                                                 const http::Request& request,
                                                 std::chrono::system_clock::time_point now,
                                                 std::chrono::seconds ttl, std::string& why) {
  std::optional<RefreshGrant> grant;
  api.as_system([&](pqxx::transaction_base& tx) {
    grant.reset();
    why.clear();
    const pqxx::result rows = tx.exec_params(
        "SELECT id::text, family_id::text, tenant_id, user_id::text, rotated_at IS NOT NULL,"
        " revoked_at IS NOT NULL, expires_at <= to_timestamp($2)"
        " FROM refresh_tokens WHERE token_hash = decode($1, 'hex') FOR UPDATE",
        sha256_hex(token), epoch_seconds(now));
    if (rows.empty()) {
      why = "unknown refresh token";
      return;
    }
    const auto& r = rows[0];
    const std::string family = r[1].as<std::string>();
    const std::string tenant = r[2].as<std::string>();
    const std::string user = r[3].as<std::string>();
    if (r[5].as<bool>()) {
      why = "revoked refresh token";
      return;
    }
    const auto revoke_family = [&] {
      tx.exec_params(
          "UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1::uuid"
          " AND revoked_at IS NULL",
          family);
    };
    if (r[4].as<bool>()) {
      // Reuse of a rotated token: someone holds a copy. End every session of this login.
      revoke_family();
      api.audit_as(tx, tenant, "user", user, request,
                   {"auth.refresh_reuse", "user", user, "", "{\"family_revoked\": true}"});
      why = "refresh token reuse detected; the session was revoked";
      return;
    }
    if (r[6].as<bool>()) {
      why = "expired refresh token";
      return;
    }
    const pqxx::result member = tx.exec_params(
        "SELECT m.role FROM tenant_memberships m JOIN users u ON u.id = m.user_id"
        " JOIN tenants t ON t.id = m.tenant_id"
        " WHERE m.tenant_id = $1 AND m.user_id = $2::uuid AND m.status = 'active'"
        " AND u.status = 'active' AND t.status = 'active'",
        tenant, user);
    if (member.empty()) {
      revoke_family();
      why = "the membership is gone or disabled";
      return;
    }
    tx.exec_params("UPDATE refresh_tokens SET rotated_at = now() WHERE id = $1::uuid",
                   r[0].as<std::string>());
    RefreshGrant g;
    g.token = new_token();
    g.tenant_id = tenant;
    g.user_id = user;
    g.role = api::parse_role(member[0][0].as<std::string>()).value_or(api::Role::viewer);
    insert_token(tx, g.token, family, tenant, user, request, now, ttl);
    grant = std::move(g);
  });
  return grant;
}

bool revoke_refresh_family(const api::ApiContext& api, const std::string& token,
                           const http::Request& request) {
  bool found = false;
  api.as_system([&](pqxx::transaction_base& tx) {
    const pqxx::result r = tx.exec_params(
        "UPDATE refresh_tokens SET revoked_at = now() WHERE revoked_at IS NULL AND family_id ="
        " (SELECT family_id FROM refresh_tokens WHERE token_hash = decode($1, 'hex'))"
        " RETURNING tenant_id, user_id::text",
        sha256_hex(token));
    found = !r.empty();
    if (found) {
      const std::string user = r[0][1].as<std::string>();
      api.audit_as(tx, r[0][0].as<std::string>(), "user", user, request,
                   {"auth.logout", "user", user, "", ""});
    }
  });
  return found;
}

void revoke_member_sessions(pqxx::transaction_base& tx, const std::string& user_id) {
  tx.exec_params(
      "UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1::uuid AND revoked_at IS "
      "NULL",
      user_id);
}

}  // namespace reos::auth
