#pragma once

// The REST routes host/auth owns (docs/auth.md, schemas/openapi.yaml "auth and admin"):
//   public:   POST /api/v1/auth/login, /auth/refresh, /auth/logout
//   any role: GET  /api/v1/auth/me
//   admin:    /api/v1/admin/users, /admin/memberships, /admin/api-keys, /admin/audit,
//             /api/v1/connectors
//   operator: POST /api/v1/admin/tenants (hub.yaml admin.token, not a user token)

#include <string>

namespace reos::http {
class Router;
}
namespace reos::api {
class ApiContext;
}

namespace reos::auth {

void add_login_routes(http::Router& router, const api::ApiContext& api);
void add_user_admin_routes(http::Router& router, const api::ApiContext& api);
void add_api_key_routes(http::Router& router, const api::ApiContext& api);
void add_audit_routes(http::Router& router, const api::ApiContext& api);
void add_connector_admin_routes(http::Router& router, const api::ApiContext& api);
/// `operator_token` empty: the route answers 401 saying the operator API is disabled.
void add_tenant_routes(http::Router& router, const api::ApiContext& api,
                       const std::string& operator_token);

/// Every route above.
void add_auth_and_admin_routes(http::Router& router, const api::ApiContext& api,
                               const std::string& operator_token);

}  // namespace reos::auth
