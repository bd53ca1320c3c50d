#pragma once

// An in-process REST API under test: a fresh migrated database with two tenants and four
// users, the real Authenticator / RateLimiter / IdempotencyStore / ApiContext, and an
// HttpServer on 127.0.0.1:<free port> serving the auth routes plus whatever the suite
// registers. Calls go over real HTTP (libcurl), tokens come from a real POST /auth/login.
//
//   reos::test::ApiHarness h([](reos::http::Router& r, const reos::api::ApiContext& api) {
//     reos::contacts::add_contact_routes(r, api);
//   });
//   auto res = h.call("GET", "/api/v1/contacts", h.token("alice@one.test"));

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "api/api_context.hpp"
#include "api/rate_limiter.hpp"
#include "auth/auth_settings.hpp"
#include "support/http_client.hpp"

namespace reos::http {
class Router;
}

namespace reos::test {

struct ApiHarnessOptions {
  /// Generous by default so functional tests never hit 429; rate-limit tests lower them.
  api::RateLimiter::Settings limits = {10000, 10000, 10000, 10000, 10000, 10000};
  /// Also register the admin routes (/api/v1/admin/..., /api/v1/connectors).
  bool admin_routes = true;
  /// Authentication settings; `keys` empty = one test key {"test-1", 48 random bytes}.
  auth::AuthSettings auth;
  /// The clock tokens are issued and verified with (default: the system clock).
  auth::Clock clock;
  /// The operator token guarding POST /api/v1/admin/tenants.
  std::string operator_token = "operator-token-for-the-api-tests";
};

/// Password of every seeded user.
inline constexpr const char* kHarnessPassword = "correct horse battery staple";

class ApiHarness {
 public:
  /// Fresh migrated database; tenants "t-one" and "t-two"; users alice@one.test (admin),
  /// bob@one.test (agent), carol@one.test (viewer) in t-one, dave@two.test (admin) in t-two,
  /// all with password kHarnessPassword; `register_routes` adds the module's routes (may be
  /// empty); the auth routes (/api/v1/auth/...) are always registered.
  explicit ApiHarness(std::function<void(http::Router&, const api::ApiContext&)> register_routes,
                      ApiHarnessOptions options = {});
  ~ApiHarness();
  ApiHarness(const ApiHarness&) = delete;
  ApiHarness& operator=(const ApiHarness&) = delete;

  int port() const;
  /// conninfo of the test database (superuser: bypasses row-level security).
  std::string conninfo() const;
  const api::ApiContext& api() const;
  /// The router the server uses (e.g. for the route/spec match test).
  const http::Router& router() const;

  /// Tenant ids are the slugs: "t-one", "t-two".
  std::string user_id(const std::string& email) const;

  /// Access token from a real POST /api/v1/auth/login (tenant "" = the user's only tenant).
  std::string token(const std::string& email, const std::string& tenant = "");
  /// The full login response body (access_token, refresh_token, ...).
  ClientResponse login(const std::string& email, const std::string& password,
                       const std::string& tenant = "");
  /// Creates an API key in `tenant` with `scopes` directly (no HTTP) and returns the full
  /// secret "reos_<prefix>_<secret>"; `role` is the key's role ("admin", "agent", "viewer").
  std::string api_key(const std::string& tenant, const std::vector<std::string>& scopes,
                      const std::string& role = "agent");

  /// A request with `Authorization: Bearer <token>` (empty token: none) and, when `body` is
  /// not empty, `Content-Type: application/json`. `extra_headers` are "Name: value".
  ClientResponse call(const std::string& method, const std::string& path, const std::string& token,
                      const std::string& body = "", std::vector<std::string> extra_headers = {});

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace reos::test

// The names the REST API work was briefed with; same types.
namespace reos::testing {
using test::ApiHarness;
using test::ApiHarnessOptions;
using test::ClientResponse;
}  // namespace reos::testing
