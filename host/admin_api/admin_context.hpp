#pragma once

// Internal to host/admin_api: what every admin route handler shares.

#include <chrono>
#include <stdexcept>
#include <string>

#include "admin_api/admin_api.hpp"
#include "db/connection_pool.hpp"
#include "http/router.hpp"
#include "queue/job_queue.hpp"

namespace reos::admin_api {

/// Thrown when no database connection can be had; the routes answer 503.
class DatabaseUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Shared, immutable state of the admin routes. Thread-safe.
struct AdminContext {
  db::ConnectionPool* pool = nullptr;
  queue::JobQueue queue;
  ConnectorCircuitSource connector_circuits;
  std::chrono::milliseconds db_acquire_timeout{2000};

  /// A pooled connection, or DatabaseUnavailable.
  db::ConnectionPool::Lease connection() const;
};

/// The largest payload a listing shows in full; longer ones are cut (see job_json.hpp).
constexpr std::size_t kListPayloadBytes = 4096;

/// Registers GET /api/v1/admin/jobs, GET /api/v1/admin/jobs/{id} and
/// POST /api/v1/admin/jobs/{id}/retry (jobs_routes.cpp). `wrap` adds authentication and
/// error handling around each handler.
void add_job_routes(http::Router& router, const AdminContext& context,
                    const std::function<http::Handler(http::Handler)>& wrap);
/// Registers GET /api/v1/admin/dead-letters (dead_letters_routes.cpp).
void add_dead_letter_routes(http::Router& router, const AdminContext& context,
                            const std::function<http::Handler(http::Handler)>& wrap);
/// Registers GET /api/v1/admin/connectors (connectors_routes.cpp).
void add_connector_routes(http::Router& router, const AdminContext& context,
                          const std::function<http::Handler(http::Handler)>& wrap);
/// Registers GET /api/v1/admin/syncs (syncs_routes.cpp).
void add_sync_routes(http::Router& router, const AdminContext& context,
                     const std::function<http::Handler(http::Handler)>& wrap);

}  // namespace reos::admin_api
