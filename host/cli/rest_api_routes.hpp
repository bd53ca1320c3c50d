#pragma once

// The REST API v1 of `reos serve`: builds the shared ApiContext from hub.yaml and registers
// every REST module's routes in one place (docs/api.md).

#include <memory>
#include <string>

namespace reos::api {
class ApiContext;
}
namespace reos::config {
struct HubConfig;
}
namespace reos::db {
class ConnectionPool;
}
namespace reos::http {
class Router;
}
namespace reos::queue {
class JobQueue;
}

namespace reos::cli {

/// What the REST routes need beyond the ApiContext.
struct RestApiDeps {
  std::string operator_token;  ///< hub.yaml admin.token (guards POST /api/v1/admin/tenants)
  /// The loaded config (tenants' messaging: templates, unsubscribe secrets); null = none.
  const config::HubConfig* hub = nullptr;
};

/// The Authenticator, RateLimiter, IdempotencyStore and ApiContext for `hub`. Throws
/// std::invalid_argument when the auth settings are unusable (config validation catches
/// that earlier).
std::unique_ptr<api::ApiContext> make_api_context(const config::HubConfig& hub,
                                                  db::ConnectionPool& pool,
                                                  const queue::JobQueue& queue);

/// THE one place that registers every REST module's routes on `router`. Each module adds
/// exactly one line in rest_api_routes.cpp.
void add_rest_api_routes(http::Router& router, const api::ApiContext& api, const RestApiDeps& deps);

}  // namespace reos::cli
