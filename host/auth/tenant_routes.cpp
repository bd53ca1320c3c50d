// POST /api/v1/admin/tenants — creates a tenant and its first admin. Guarded by the operator
// token (hub.yaml admin.token, the same credential as the operators' admin API), not by a
// user token: no tenant admin may create tenants (docs/auth.md "Tenants").
#include <memory>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "admin_api/admin_auth.hpp"
#include "api/api_context.hpp"
#include "api/json_body.hpp"
#include "auth/auth_routes.hpp"
#include "auth/password_hash.hpp"
#include "http/router.hpp"

namespace reos::auth {
namespace {

using nlohmann::json;

http::Response create_tenant(const api::ApiContext& api, const http::Request& req) {
  const json body = api::parse_json_body(req, "admin_tenant_create", api.settings().max_json_depth);
  const std::string tenant_id = body["id"].get<std::string>();
  const json& admin = body["admin"];
  const std::string hash = hash_password(admin["password"].get<std::string>());
  json result;
  api.as_system([&](pqxx::transaction_base& tx) {
    const pqxx::result t = tx.exec_params(
        "INSERT INTO tenants (id, name) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING id",
        tenant_id, body["name"].get<std::string>());
    if (t.empty()) api::throw_conflict("tenant " + tenant_id + " exists");
    const std::string email = admin["email"].get<std::string>();
    if (!tx.exec_params("SELECT 1 FROM users WHERE lower(email) = lower($1)", email).empty()) {
      api::throw_conflict(
          "a user with this email exists; add them with POST /api/v1/admin/memberships");
    }
    const std::string user_id =
        tx.exec_params1(
              "INSERT INTO users (email, display_name, password_hash) VALUES ($1, $2, $3)"
              " RETURNING id::text",
              email, admin.value("display_name", ""), hash)[0]
            .as<std::string>();
    tx.exec_params(
        "INSERT INTO tenant_memberships (tenant_id, user_id, role) VALUES ($1, $2::uuid, 'admin')",
        tenant_id, user_id);
    result = {{"id", tenant_id},
              {"name", body["name"]},
              {"status", "active"},
              {"admin", {{"id", user_id}, {"email", email}, {"role", "admin"}}}};
    api.audit_as(tx, tenant_id, "system", "operator", req,
                 {"tenant.create", "tenant", tenant_id, "", result.dump()});
  });
  return http::json_response(201, result.dump());
}

}  // namespace

void add_tenant_routes(http::Router& router, const api::ApiContext& api,
                       const std::string& operator_token) {
  auto guard = std::make_shared<admin_api::AdminAuth>(operator_token);
  api.public_route(router, "POST", "/api/v1/admin/tenants",
                   [&api, guard](const http::Request& req) {
                     if (auto refused = guard->check(req)) return *refused;
                     return create_tenant(api, req);
                   });
}

void add_auth_and_admin_routes(http::Router& router, const api::ApiContext& api,
                               const std::string& operator_token) {
  add_login_routes(router, api);
  add_user_admin_routes(router, api);
  add_api_key_routes(router, api);
  add_audit_routes(router, api);
  add_connector_admin_routes(router, api);
  add_tenant_routes(router, api, operator_token);
}

}  // namespace reos::auth
