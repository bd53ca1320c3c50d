// POST /api/v1/auth/login, /auth/refresh, /auth/logout and GET /api/v1/auth/me (docs/auth.md).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "api/api_context.hpp"
#include "api/json_body.hpp"
#include "auth/auth_routes.hpp"
#include "auth/authenticator.hpp"
#include "auth/login_throttle.hpp"
#include "auth/password_hash.hpp"
#include "auth/refresh_tokens.hpp"
#include "http/router.hpp"
#include "log/logger.hpp"

namespace reos::auth {
namespace {

using nlohmann::json;

struct Membership {
  std::string tenant_id;
  std::string role;
};

struct Account {
  std::string user_id;
  std::string password_hash;
  bool active = false;
  std::vector<Membership> memberships;  ///< active memberships of active tenants
};

std::string lowercase(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::optional<Account> find_account(const api::ApiContext& api, const std::string& email) {
  std::optional<Account> account;
  api.as_system([&](pqxx::transaction_base& tx) {
    account.reset();
    const pqxx::result u = tx.exec_params(
        "SELECT id::text, COALESCE(password_hash, ''), status = 'active' FROM users"
        " WHERE lower(email) = $1",
        email);
    if (u.empty()) return;
    Account a;
    a.user_id = u[0][0].as<std::string>();
    a.password_hash = u[0][1].as<std::string>();
    a.active = u[0][2].as<bool>();
    for (const auto& row : tx.exec_params(
             "SELECT m.tenant_id, m.role FROM tenant_memberships m JOIN tenants t ON t.id = "
             "m.tenant_id"
             " WHERE m.user_id = $1::uuid AND m.status = 'active' AND t.status = 'active'"
             " ORDER BY m.tenant_id",
             a.user_id)) {
      a.memberships.push_back({row[0].as<std::string>(), row[1].as<std::string>()});
    }
    account = std::move(a);
  });
  return account;
}

[[noreturn]] void throw_bad_login() {
  api::throw_unauthorized("invalid email or password");
}

const Membership& choose_tenant(const Account& a, const std::string& wanted) {
  if (!wanted.empty()) {
    for (const Membership& m : a.memberships) {
      if (m.tenant_id == wanted) return m;
    }
    api::throw_forbidden("the user is not an active member of tenant " + wanted);
  }
  if (a.memberships.empty()) api::throw_forbidden("the user is not an active member of any tenant");
  if (a.memberships.size() > 1) {
    std::string list;
    for (const Membership& m : a.memberships) list += (list.empty() ? "" : ", ") + m.tenant_id;
    api::throw_invalid(
        {{"tenant", "required: the user belongs to several tenants (" + list + ")"}});
  }
  return a.memberships.front();
}

http::Response token_response(const api::Authenticator& auth, const std::string& user_id,
                              const std::string& tenant_id, api::Role role,
                              const std::string& refresh_token) {
  const json body = {{"access_token", auth.issue_access_token(user_id, tenant_id, role)},
                     {"token_type", "Bearer"},
                     {"expires_in", auth.settings().access_ttl.count()},
                     {"refresh_token", refresh_token},
                     {"tenant", tenant_id},
                     {"role", api::to_string(role)}};
  http::Response r = http::json_response(200, body.dump());
  r.headers.push_back({"Cache-Control", "no-store"});
  return r;
}

// Expired refresh tokens are useless but kept a day for the audit of reuse; deleted at most
// once an hour per process, by whichever login comes along.
void purge_expired_refresh_tokens(pqxx::transaction_base& tx) {
  static std::atomic<std::int64_t> last_purge_s{0};
  const std::int64_t now_s = std::chrono::duration_cast<std::chrono::seconds>(
                                 std::chrono::steady_clock::now().time_since_epoch())
                                 .count();
  std::int64_t last = last_purge_s.load();
  if (now_s - last < 3600 && last != 0) return;
  if (!last_purge_s.compare_exchange_strong(last, now_s)) return;
  tx.exec("DELETE FROM refresh_tokens WHERE expires_at < now() - interval '1 day'");
}

http::Response login(const api::ApiContext& api, const http::Request& req) {
  api::Authenticator& auth = api.authenticator();
  auth.require_configured();
  const json body = api::parse_json_body(req, "auth_login", api.settings().max_json_depth);
  const std::string email = lowercase(body["email"].get<std::string>());
  const std::string password = body["password"].get<std::string>();
  if (auto wait = auth.throttle().blocked(email, req.remote_addr)) {
    throw api::ApiError(
        429, "Too Many Requests",
        "too many failed logins; retry after " + std::to_string(wait->count()) + " s", {},
        {{"Retry-After", std::to_string(wait->count())}});
  }
  const std::optional<Account> account = find_account(api, email);
  if (!account) burn_password_check(password);
  if (!account || !verify_password(password, account->password_hash)) {
    auth.throttle().record_failure(email, req.remote_addr);
    log::info("api: login failed", {{"ip", req.remote_addr}});
    throw_bad_login();
  }
  auth.throttle().record_success(email);
  if (!account->active) api::throw_forbidden("the account is disabled");
  const Membership& m = choose_tenant(*account, body.value("tenant", ""));
  const api::Role role = api::parse_role(m.role).value_or(api::Role::viewer);
  std::string refresh;
  api.as_system([&](pqxx::transaction_base& tx) {
    refresh = issue_refresh_token(tx, m.tenant_id, account->user_id, req, auth.now(),
                                  auth.settings().refresh_ttl);
    api.audit_as(tx, m.tenant_id, "user", account->user_id, req,
                 {"auth.login", "user", account->user_id, "", ""});
    purge_expired_refresh_tokens(tx);
  });
  return token_response(auth, account->user_id, m.tenant_id, role, refresh);
}

http::Response refresh(const api::ApiContext& api, const http::Request& req) {
  api::Authenticator& auth = api.authenticator();
  auth.require_configured();
  const json body = api::parse_json_body(req, "auth_refresh", api.settings().max_json_depth);
  std::string why;
  const auto grant = rotate_refresh_token(api, body["refresh_token"].get<std::string>(), req,
                                          auth.now(), auth.settings().refresh_ttl, why);
  if (!grant) {
    log::info("api: refresh refused", {{"reason", why}, {"ip", req.remote_addr}});
    api::throw_unauthorized(why);
  }
  return token_response(auth, grant->user_id, grant->tenant_id, grant->role, grant->token);
}

http::Response logout(const api::ApiContext& api, const http::Request& req) {
  api.authenticator().require_configured();
  const json body = api::parse_json_body(req, "auth_refresh", api.settings().max_json_depth);
  // 204 whether or not the token was known: logout must not become a token oracle.
  revoke_refresh_family(api, body["refresh_token"].get<std::string>(), req);
  http::Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

http::Response me(const api::ApiContext& api, const api::ApiRequest& req) {
  const api::Caller& c = req.caller;
  json body = {{"kind", c.actor_type()},
               {"tenant", c.tenant_id},
               {"role", api::to_string(c.role)},
               {"user_id", c.user_id.empty() ? json(nullptr) : json(c.user_id)}};
  if (c.kind == api::Caller::Kind::api_key) {
    body["api_key_id"] = c.api_key_id;
    body["scopes"] = c.scopes;
  } else {
    api.in_tenant(req, [&](pqxx::transaction_base& tx) {
      const pqxx::result r =
          tx.exec_params("SELECT email, display_name FROM users WHERE id = $1::uuid", c.user_id);
      if (r.empty()) api::throw_not_found("user");
      body["email"] = r[0][0].as<std::string>();
      body["display_name"] = r[0][1].as<std::string>();
    });
  }
  return http::json_response(200, body.dump());
}

}  // namespace

void add_login_routes(http::Router& router, const api::ApiContext& api) {
  api.public_route(router, "POST", "/api/v1/auth/login",
                   [&api](const http::Request& req) { return login(api, req); });
  api.public_route(router, "POST", "/api/v1/auth/refresh",
                   [&api](const http::Request& req) { return refresh(api, req); });
  api.public_route(router, "POST", "/api/v1/auth/logout",
                   [&api](const http::Request& req) { return logout(api, req); });
  api.route(router, "GET", "/api/v1/auth/me", {api::Role::viewer, "", true, false},
            [&api](const api::ApiRequest& req) { return me(api, req); });
}

}  // namespace reos::auth
