#include "admin_api/admin_api.hpp"

#include <memory>
#include <pqxx/pqxx>
#include <stdexcept>

#include "admin_api/admin_auth.hpp"
#include "admin_api/admin_context.hpp"
#include "http/problem_json.hpp"
#include "log/logger.hpp"

namespace reos::admin_api {
namespace {

http::Response unavailable(const http::Request& request, const std::exception& e) {
  log::error("admin API: database unavailable", {{"error", e.what()}, {"path", request.path}});
  http::Response r = http::problem(
      503, "Service Unavailable",
      "database unavailable; quote request id " + request.request_id + " when reporting this",
      request.path);
  r.headers.emplace_back("Retry-After", "5");
  return r;
}

}  // namespace

void add_admin_routes(http::Router& router, AdminApiDeps deps) {
  if (!deps.pool) throw std::invalid_argument("add_admin_routes: deps.pool is null");
  auto context = std::make_shared<AdminContext>();
  context->pool = deps.pool;
  context->connector_circuits = std::move(deps.connector_circuits);
  context->db_acquire_timeout = deps.db_acquire_timeout;
  auto auth = std::make_shared<const AdminAuth>(deps.token);
  if (!auth->enabled()) {
    log::info("admin API disabled: set admin.token in hub.yaml to enable /api/v1/admin");
  }

  // Every admin handler: authenticate first, answer 503 when the database cannot be reached,
  // and never let a response be cached. Each handler holds the context and the auth alive.
  const auto wrap = [context, auth](http::Handler inner) -> http::Handler {
    return [context, auth, inner = std::move(inner)](const http::Request& request) {
      http::Response response;
      if (std::optional<http::Response> refused = auth->check(request)) {
        response = std::move(*refused);
      } else {
        try {
          response = inner(request);
        } catch (const DatabaseUnavailable& e) {
          response = unavailable(request, e);
        } catch (const pqxx::broken_connection& e) {
          response = unavailable(request, e);
        }
      }
      response.headers.emplace_back("Cache-Control", "no-store");
      return response;
    };
  };
  add_job_routes(router, *context, wrap);
  add_dead_letter_routes(router, *context, wrap);
  add_connector_routes(router, *context, wrap);
  add_sync_routes(router, *context, wrap);
}

}  // namespace reos::admin_api
