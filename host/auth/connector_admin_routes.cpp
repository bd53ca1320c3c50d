// A tenant's connectors as tenant admins see them (docs/auth.md "Connectors"):
//   GET   /api/v1/connectors          every connector instance of the tenant with its state
//   PATCH /api/v1/connectors/{id}     {"enabled": bool} — switch it on or off for the tenant
// Settings stay in the tenant's YAML file (validated against the plugin's schema when the
// config is loaded), so they are not writable here. The operators' cross-tenant view is
// GET /api/v1/admin/connectors (host/admin_api, operator token).
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "api/api_context.hpp"
#include "api/json_body.hpp"
#include "auth/auth_routes.hpp"
#include "auth/route_helpers.hpp"
#include "http/router.hpp"

namespace reos::auth {
namespace {

constexpr const char* kConnectorJson =
    "json_build_object('id', id, 'plugin', plugin, 'enabled', enabled, 'status', status,"
    " 'last_run_at', last_run_at, 'last_error', last_error, 'updated_at', updated_at)::text";

http::Response list_connectors(const api::ApiContext& api, const api::ApiRequest& req) {
  std::string items;
  api.in_tenant(req, [&](pqxx::transaction_base& tx) {
    items.clear();
    for (const auto& row :
         tx.exec(std::string("SELECT ") + kConnectorJson + " FROM connectors ORDER BY id")) {
      items += (items.empty() ? "" : ",") + row[0].as<std::string>();
    }
  });
  return http::json_response(200, "{\"items\":[" + items + "],\"next_cursor\":null}");
}

http::Response update_connector(const api::ApiContext& api, const api::ApiRequest& req) {
  const std::string id = path_param(req.http, "id");
  const nlohmann::json body =
      api::parse_json_body(req.http, "admin_connector_update", api.settings().max_json_depth);
  const bool enabled = body["enabled"].get<bool>();
  std::string after;
  api.in_tenant(req, [&](pqxx::transaction_base& tx) {
    const pqxx::result before = tx.exec_params(
        std::string("SELECT ") + kConnectorJson + " FROM connectors WHERE id = $1 FOR UPDATE", id);
    if (before.empty()) api::throw_not_found("connector");
    after = tx.exec_params1(std::string("UPDATE connectors SET enabled = $2, updated_at = now(),"
                                        " status = CASE WHEN NOT $2 THEN 'disabled'"
                                        "   WHEN status = 'disabled' THEN 'idle' ELSE status END"
                                        " WHERE id = $1 RETURNING ") +
                                kConnectorJson,
                            id, enabled)[0]
                .as<std::string>();
    api.audit(tx, req,
              {enabled ? "connector.enable" : "connector.disable", "connector", id,
               before[0][0].as<std::string>(), after});
  });
  return http::json_response(200, after);
}

}  // namespace

void add_connector_admin_routes(http::Router& router, const api::ApiContext& api) {
  api.route(router, "GET", "/api/v1/connectors", {api::Role::admin, "connectors:read", true, true},
            [&api](const api::ApiRequest& req) { return list_connectors(api, req); });
  api.route(router, "PATCH", "/api/v1/connectors/{id}",
            {api::Role::admin, "connectors:write", true, true},
            [&api](const api::ApiRequest& req) { return update_connector(api, req); });
}

}  // namespace reos::auth
