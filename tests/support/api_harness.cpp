#include "support/api_harness.hpp"

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "api/idempotency.hpp"
#include "auth/auth_routes.hpp"
#include "auth/authenticator.hpp"
#include "auth/password_hash.hpp"
#include "auth/secret_token.hpp"
#include "db/connection_pool.hpp"
#include "http/http_server.hpp"
#include "http/metrics_registry.hpp"
#include "http/router.hpp"
#include "queue/job_queue.hpp"
#include "support/test_database.hpp"

namespace reos::test {

struct ApiHarness::Impl {
  std::unique_ptr<TestDatabase> db;
  std::unique_ptr<db::ConnectionPool> pool;
  std::unique_ptr<queue::JobQueue> queue;
  std::unique_ptr<api::ApiContext> api;
  http::Router router;
  http::MetricsRegistry metrics;
  std::unique_ptr<http::HttpServer> server;
  std::map<std::string, std::string> user_ids;
};

namespace {

void seed(const std::string& conninfo, std::map<std::string, std::string>& user_ids) {
  pqxx::connection conn(conninfo);
  pqxx::work tx(conn);
  tx.exec("INSERT INTO tenants (id, name) VALUES ('t-one', 'Tenant One'), ('t-two', 'Tenant Two')");
  // One argon2id hash for everyone: hashing is deliberately slow.
  const std::string hash = auth::hash_password(kHarnessPassword);
  const struct {
    const char* email;
    const char* name;
    const char* tenant;
    const char* role;
  } users[] = {{"alice@one.test", "Alice", "t-one", "admin"},
               {"bob@one.test", "Bob", "t-one", "agent"},
               {"carol@one.test", "Carol", "t-one", "viewer"},
               {"dave@two.test", "Dave", "t-two", "admin"}};
  for (const auto& u : users) {
    const std::string id =
        tx.exec_params1(
              "INSERT INTO users (email, display_name, password_hash) VALUES ($1, $2, $3)"
              " RETURNING id::text",
              u.email, u.name, hash)[0]
            .as<std::string>();
    tx.exec_params(
        "INSERT INTO tenant_memberships (tenant_id, user_id, role) VALUES ($1, $2::uuid, $3)",
        u.tenant, id, u.role);
    user_ids[u.email] = id;
  }
  tx.commit();
}

}  // namespace

ApiHarness::ApiHarness(std::function<void(http::Router&, const api::ApiContext&)> register_routes,
                       ApiHarnessOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->db = std::make_unique<TestDatabase>();
  migrate_to_current(impl_->db->conninfo());
  seed(impl_->db->conninfo(), impl_->user_ids);
  impl_->pool = std::make_unique<db::ConnectionPool>(impl_->db->conninfo(), 8);
  impl_->queue = std::make_unique<queue::JobQueue>();
  if (options.auth.keys.empty()) options.auth.keys.push_back({"test-1", auth::random_hex(24)});
  auto authenticator =
      std::make_shared<api::Authenticator>(*impl_->pool, options.auth, options.clock);
  auto limiter = std::make_shared<api::RateLimiter>(options.limits);
  auto idempotency = std::make_shared<api::IdempotencyStore>(*impl_->pool);
  impl_->api = std::make_unique<api::ApiContext>(*impl_->pool, *impl_->queue, authenticator,
                                                 limiter, idempotency, api::ApiContext::Settings{});
  if (options.admin_routes) {
    auth::add_auth_and_admin_routes(impl_->router, *impl_->api, options.operator_token);
  } else {
    auth::add_login_routes(impl_->router, *impl_->api);
  }
  if (register_routes) register_routes(impl_->router, *impl_->api);
  http::HttpServerSettings settings;
  settings.port = 0;
  settings.threads = 4;
  settings.shutdown_grace_ms = 2000;
  impl_->server = std::make_unique<http::HttpServer>(settings, impl_->router, impl_->metrics);
  impl_->server->start();
}

ApiHarness::~ApiHarness() {
  impl_->server.reset();  // stop serving before the pool and the database go away
  impl_->api.reset();
  if (impl_->pool) impl_->pool->close();
  impl_->pool.reset();
  impl_->db.reset();
}

int ApiHarness::port() const {
  return impl_->server->port();
}
std::string ApiHarness::conninfo() const {
  return impl_->db->conninfo();
}
const api::ApiContext& ApiHarness::api() const {
  return *impl_->api;
}
const http::Router& ApiHarness::router() const {
  return impl_->router;
}

std::string ApiHarness::user_id(const std::string& email) const {
  auto it = impl_->user_ids.find(email);
  if (it != impl_->user_ids.end()) return it->second;
  pqxx::connection conn(conninfo());
  pqxx::nontransaction tx(conn);
  const pqxx::result r =
      tx.exec_params("SELECT id::text FROM users WHERE lower(email) = lower($1)", email);
  return r.empty() ? "" : r[0][0].as<std::string>();
}

ClientResponse ApiHarness::login(const std::string& email, const std::string& password,
                                 const std::string& tenant) {
  nlohmann::json body = {{"email", email}, {"password", password}};
  if (!tenant.empty()) body["tenant"] = tenant;
  return call("POST", "/api/v1/auth/login", "", body.dump());
}

std::string ApiHarness::token(const std::string& email, const std::string& tenant) {
  const ClientResponse r = login(email, kHarnessPassword, tenant);
  EXPECT_EQ(r.status, 200) << "login of " << email << " failed: " << r.body;
  if (r.status != 200) return "";
  return nlohmann::json::parse(r.body).at("access_token").get<std::string>();
}

std::string ApiHarness::api_key(const std::string& tenant, const std::vector<std::string>& scopes,
                                const std::string& role) {
  const std::string prefix = "reos_" + auth::random_hex(6);
  const std::string secret = auth::random_hex(24);
  pqxx::connection conn(conninfo());
  pqxx::work tx(conn);
  std::string scope_list = "{";
  for (std::size_t i = 0; i < scopes.size(); ++i)
    scope_list += (i ? "," : "") + ("\"" + scopes[i] + "\"");
  scope_list += "}";
  tx.exec_params(
      "INSERT INTO api_keys (tenant_id, name, prefix, key_hash, scopes, role)"
      " VALUES ($1, 'harness key', $2, decode($3, 'hex'), $4::text[], $5)",
      tenant, prefix, auth::sha256_hex(secret), scope_list, role);
  tx.commit();
  return prefix + "_" + secret;
}

ClientResponse ApiHarness::call(const std::string& method, const std::string& path,
                                const std::string& token, const std::string& body,
                                std::vector<std::string> extra_headers) {
  ClientRequest req;
  req.method = method;
  req.url = url(port(), path);
  req.body = body;
  if (!token.empty()) req.headers.push_back("Authorization: Bearer " + token);
  if (!body.empty()) req.headers.push_back("Content-Type: application/json");
  for (std::string& h : extra_headers) req.headers.push_back(std::move(h));
  return perform(req);
}

}  // namespace reos::test
