#include "cli/rest_api_routes.hpp"

#include "api/api_context.hpp"
#include "api/idempotency.hpp"
#include "api/openapi_route.hpp"
#include "api/rate_limiter.hpp"
#include "auth/auth_routes.hpp"
#include "auth/authenticator.hpp"
#include "blobs/blob_store_factory.hpp"
#include "blobs/photo_routes.hpp"
#include "collaboration/collaboration_routes.hpp"
#include "config/hub_config.hpp"
#include "contacts/contact_routes.hpp"
#include "http/router.hpp"
#include "messaging/messaging_routes.hpp"
#include "property_search/property_routes.hpp"

namespace reos::cli {

std::unique_ptr<api::ApiContext> make_api_context(const config::HubConfig& hub,
                                                  db::ConnectionPool& pool,
                                                  const queue::JobQueue& queue) {
  const config::AuthConfig& a = hub.auth;
  auth::AuthSettings settings;
  for (const config::JwtKeyConfig& k : a.jwt_keys) settings.keys.push_back({k.kid, k.secret});
  settings.access_ttl = std::chrono::seconds(a.access_ttl_s);
  settings.refresh_ttl = std::chrono::seconds(a.refresh_ttl_s);
  settings.leeway = std::chrono::seconds(a.leeway_s);
  settings.throttle = {a.login_failures_per_account, a.login_failures_per_ip,
                       std::chrono::seconds(a.login_window_s)};
  api::RateLimiter::Settings limits;
  limits.per_key_rps = a.per_key_rps;
  limits.per_key_burst = a.per_key_burst;
  limits.per_tenant_rps = a.per_tenant_rps;
  limits.per_tenant_burst = a.per_tenant_burst;
  limits.per_ip_rps = a.per_ip_rps;
  limits.per_ip_burst = a.per_ip_burst;
  return std::make_unique<api::ApiContext>(
      pool, queue, std::make_shared<api::Authenticator>(pool, settings),
      std::make_shared<api::RateLimiter>(limits), std::make_shared<api::IdempotencyStore>(pool),
      api::ApiContext::Settings{});
}

void add_rest_api_routes(http::Router& router, const api::ApiContext& api,
                         const RestApiDeps& deps) {
  // One line per REST module; add yours below (keep the module's routes in its own folder).
  auth::add_auth_and_admin_routes(router, api, deps.operator_token);  // auth, admin, API keys
  collaboration::add_collaboration_routes(router, api);      // assignments, approvals, inbox
  contacts::add_contact_routes(router, api);                 // contacts, notes, tasks
  property_search::add_property_search_routes(router, api);  // properties search, CSV, one
  if (deps.hub) messaging::add_messaging_routes(router, api, *deps.hub);  // messages, unsubscribe
  if (deps.hub) blobs::add_photo_routes(router, api, blobs::make_blob_store(deps.hub->blobs));
  api::add_openapi_route(router, api);  // GET /api/v1/openapi.json
}

}  // namespace reos::cli
