// Tenant admins manage their people (docs/auth.md "Users and memberships"):
//   GET  /api/v1/admin/users                     members of the caller's tenant
//   POST /api/v1/admin/users                     create a user with a password (or add an
//                                                existing one, without password) as a member
//   GET  /api/v1/admin/users/{id}
//   POST /api/v1/admin/memberships               add an existing user by email
//   PATCH  /api/v1/admin/memberships/{user_id}   change role and/or status (disable/enable)
//   DELETE /api/v1/admin/memberships/{user_id}   remove from the tenant
// Users are global identities (one agent may work for several brokerages), so a tenant admin
// never changes a user's password or global status; disabling is per membership.
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "api/api_context.hpp"
#include "api/json_body.hpp"
#include "auth/auth_routes.hpp"
#include "auth/password_hash.hpp"
#include "auth/refresh_tokens.hpp"
#include "auth/route_helpers.hpp"
#include "http/router.hpp"

namespace reos::auth {
namespace {

using nlohmann::json;

const api::RouteAccess kAdminRead{api::Role::admin, "admin:read", true, true};
const api::RouteAccess kAdminWrite{api::Role::admin, "admin:write", true, true};

constexpr const char* kMemberJson =
    "json_build_object('id', u.id, 'email', u.email, 'display_name', u.display_name,"
    " 'role', m.role, 'status', m.status, 'member_since', m.created_at)::text";

// The member row as JSON text, or "" when `user_id` is not a member of the scoped tenant.
std::string member_json(pqxx::transaction_base& tx, const std::string& tenant_id,
                        const std::string& user_id) {
  const pqxx::result r =
      tx.exec_params(std::string("SELECT ") + kMemberJson +
                         " FROM tenant_memberships m JOIN users u ON u.id = m.user_id"
                         " WHERE m.tenant_id = $1 AND m.user_id = $2::uuid",
                     tenant_id, user_id);
  return r.empty() ? "" : r[0][0].as<std::string>();
}

// Refuses a change that would leave the tenant without an active admin.
void keep_an_admin(pqxx::transaction_base& tx, const std::string& tenant_id,
                   const std::string& user_id) {
  const pqxx::result r = tx.exec_params(
      "SELECT count(*) FROM tenant_memberships WHERE tenant_id = $1 AND role = 'admin'"
      " AND status = 'active' AND user_id <> $2::uuid",
      tenant_id, user_id);
  if (r[0][0].as<long>() == 0)
    api::throw_conflict("the tenant must keep at least one active admin");
}

http::Response list_users(const api::ApiContext& api, const api::ApiRequest& req) {
  std::string items;
  api.in_tenant(req, [&](pqxx::transaction_base& tx) {
    items.clear();
    for (const auto& row : tx.exec(std::string("SELECT ") + kMemberJson +
                                   " FROM tenant_memberships m JOIN users u ON u.id = m.user_id"
                                   " ORDER BY lower(u.email) LIMIT 10000")) {
      items += (items.empty() ? "" : ",") + row[0].as<std::string>();
    }
  });
  return http::json_response(200, "{\"items\":[" + items + "],\"next_cursor\":null}");
}

http::Response get_user(const api::ApiContext& api, const api::ApiRequest& req) {
  const std::string id = path_param(req.http, "id");
  if (!is_uuid(id)) api::throw_not_found("user");
  std::string body;
  api.in_tenant(
      req, [&](pqxx::transaction_base& tx) { body = member_json(tx, req.caller.tenant_id, id); });
  if (body.empty()) api::throw_not_found("user");
  return http::json_response(200, body);
}

http::Response create_user(const api::ApiContext& api, const api::ApiRequest& req) {
  const json body =
      api::parse_json_body(req.http, "admin_user_create", api.settings().max_json_depth);
  const std::string email = body["email"].get<std::string>();
  const std::string password = body.value("password", "");
  // Hash outside the transaction: it is deliberately slow.
  const std::string hash = password.empty() ? "" : hash_password(password);
  std::string result;
  api.as_system([&](pqxx::transaction_base& tx) {
    const pqxx::result existing =
        tx.exec_params("SELECT id::text FROM users WHERE lower(email) = lower($1)", email);
    std::string user_id;
    if (!existing.empty()) {
      user_id = existing[0][0].as<std::string>();
      if (!password.empty()) {
        api::throw_conflict(
            "a user with this email exists; omit password to add them to the tenant");
      }
    } else {
      if (password.empty()) api::throw_invalid({{"password", "required for a new user"}});
      user_id = tx.exec_params1(
                      "INSERT INTO users (email, display_name, password_hash) VALUES ($1, $2, $3)"
                      " RETURNING id::text",
                      email, body.value("display_name", ""), hash)[0]
                    .as<std::string>();
    }
    const pqxx::result added = tx.exec_params(
        "INSERT INTO tenant_memberships (tenant_id, user_id, role) VALUES ($1, $2::uuid, $3)"
        " ON CONFLICT DO NOTHING RETURNING user_id",
        req.caller.tenant_id, user_id, body["role"].get<std::string>());
    if (added.empty()) api::throw_conflict("the user is already a member of this tenant");
    result = member_json(tx, req.caller.tenant_id, user_id);
    api.audit(
        tx, req,
        {existing.empty() ? "user.create" : "membership.create", "user", user_id, "", result});
  });
  return http::json_response(201, result);
}

http::Response add_membership(const api::ApiContext& api, const api::ApiRequest& req) {
  const json body =
      api::parse_json_body(req.http, "admin_membership_create", api.settings().max_json_depth);
  std::string result;
  api.as_system([&](pqxx::transaction_base& tx) {
    const pqxx::result existing =
        tx.exec_params("SELECT id::text FROM users WHERE lower(email) = lower($1)",
                       body["email"].get<std::string>());
    if (existing.empty()) api::throw_not_found("user");
    const std::string user_id = existing[0][0].as<std::string>();
    const pqxx::result added = tx.exec_params(
        "INSERT INTO tenant_memberships (tenant_id, user_id, role) VALUES ($1, $2::uuid, $3)"
        " ON CONFLICT DO NOTHING RETURNING user_id",
        req.caller.tenant_id, user_id, body["role"].get<std::string>());
    if (added.empty()) api::throw_conflict("the user is already a member of this tenant");
    result = member_json(tx, req.caller.tenant_id, user_id);
    api.audit(tx, req, {"membership.create", "user", user_id, "", result});
  });
  return http::json_response(201, result);
}

http::Response update_membership(const api::ApiContext& api, const api::ApiRequest& req) {
  const std::string id = path_param(req.http, "user_id");
  if (!is_uuid(id)) api::throw_not_found("membership");
  const json body =
      api::parse_json_body(req.http, "admin_membership_update", api.settings().max_json_depth);
  std::string result;
  api.in_tenant(req, [&](pqxx::transaction_base& tx) {
    const pqxx::result cur = tx.exec_params(
        "SELECT role, status FROM tenant_memberships WHERE user_id = $1::uuid FOR UPDATE", id);
    if (cur.empty()) api::throw_not_found("membership");
    const std::string before = member_json(tx, req.caller.tenant_id, id);
    const std::string role = body.value("role", cur[0][0].as<std::string>());
    const std::string status = body.value("status", cur[0][1].as<std::string>());
    if (cur[0][0].as<std::string>() == "admin" && (role != "admin" || status != "active")) {
      keep_an_admin(tx, req.caller.tenant_id, id);
    }
    tx.exec_params("UPDATE tenant_memberships SET role = $2, status = $3 WHERE user_id = $1::uuid",
                   id, role, status);
    if (status == "disabled") revoke_member_sessions(tx, id);
    result = member_json(tx, req.caller.tenant_id, id);
    api.audit(tx, req, {"membership.update", "user", id, before, result});
  });
  return http::json_response(200, result);
}

http::Response remove_membership(const api::ApiContext& api, const api::ApiRequest& req) {
  const std::string id = path_param(req.http, "user_id");
  if (!is_uuid(id)) api::throw_not_found("membership");
  api.in_tenant(req, [&](pqxx::transaction_base& tx) {
    const pqxx::result cur = tx.exec_params(
        "SELECT role FROM tenant_memberships WHERE user_id = $1::uuid FOR UPDATE", id);
    if (cur.empty()) api::throw_not_found("membership");
    if (cur[0][0].as<std::string>() == "admin") keep_an_admin(tx, req.caller.tenant_id, id);
    const std::string before = member_json(tx, req.caller.tenant_id, id);
    revoke_member_sessions(tx, id);
    tx.exec_params("DELETE FROM tenant_memberships WHERE user_id = $1::uuid", id);
    api.audit(tx, req, {"membership.delete", "user", id, before, ""});
  });
  return no_content();
}

}  // namespace

void add_user_admin_routes(http::Router& router, const api::ApiContext& api) {
  const auto bind = [&api](http::Response (*fn)(const api::ApiContext&, const api::ApiRequest&)) {
    return [&api, fn](const api::ApiRequest& req) { return fn(api, req); };
  };
  api.route(router, "GET", "/api/v1/admin/users", kAdminRead, bind(list_users));
  api.route(router, "POST", "/api/v1/admin/users", kAdminWrite, bind(create_user));
  api.route(router, "GET", "/api/v1/admin/users/{id}", kAdminRead, bind(get_user));
  api.route(router, "POST", "/api/v1/admin/memberships", kAdminWrite, bind(add_membership));
  api.route(router, "PATCH", "/api/v1/admin/memberships/{user_id}", kAdminWrite,
            bind(update_membership));
  api.route(router, "DELETE", "/api/v1/admin/memberships/{user_id}", kAdminWrite,
            bind(remove_membership));
}

}  // namespace reos::auth
