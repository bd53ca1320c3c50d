#pragma once

// The admin API: operators' view of the job queue and the connectors, under /api/v1/admin,
// authenticated with the bearer token from hub.yaml `admin.token` (docs/admin-api.md).
//
//   GET  /api/v1/admin/jobs?status=&kind=&tenant=&limit=&after=
//   GET  /api/v1/admin/jobs/{id}
//   POST /api/v1/admin/jobs/{id}/retry
//   GET  /api/v1/admin/dead-letters?status=&kind=&tenant=&limit=&after=
//   GET  /api/v1/admin/connectors?tenant=
//   GET  /api/v1/admin/syncs?tenant=&connector=&limit=&before=

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace reos::db {
class ConnectionPool;
}
namespace reos::http {
class Router;
}

namespace reos::admin_api {

/// The circuit breaker of one tenant connector as the pipeline sees it right now. The admin
/// API defines this type (rather than using the pipeline's) so it depends on no executor
/// header; whoever wires `reos serve` converts.
struct ConnectorCircuit {
  std::string tenant_id;
  std::string connector_id;
  std::string state;  ///< "closed", "half-open" or "open"
  /// Wall-clock end of the current open period; nullopt unless open. (A steady_clock instant
  /// converts as `system_clock::now() + (until - steady_clock::now())`.)
  std::optional<std::chrono::system_clock::time_point> open_until;
  /// Call counters by name ("calls_ok", "calls_failed", …), shown as they are.
  std::map<std::string, std::int64_t> counters;
};

/// Returns every connector circuit the process knows; called once per
/// `GET /api/v1/admin/connectors`, on an HTTP worker thread, so it must be thread-safe and
/// quick. May throw: the listing then shows `"circuit": null` and logs a warning.
using ConnectorCircuitSource = std::function<std::vector<ConnectorCircuit>()>;

/// What the admin routes need. `pool` (required) must outlive the router's use of the routes.
struct AdminApiDeps {
  db::ConnectionPool* pool = nullptr;
  /// The resolved admin token (HubConfig::admin.token). Empty: the admin API is disabled and
  /// every admin route answers 401 saying so. Only its SHA-256 digest is kept.
  std::string token;
  /// Optional: without it every connector's `circuit` is null.
  ConnectorCircuitSource connector_circuits;
  /// How long a request waits for a pooled connection before answering 503.
  std::chrono::milliseconds db_acquire_timeout{2000};
};

/// Registers every admin route on `router` (before the server starts). Throws
/// std::invalid_argument when `deps.pool` is null.
void add_admin_routes(http::Router& router, AdminApiDeps deps);

}  // namespace reos::admin_api
