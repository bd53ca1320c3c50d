// The OpenAPI document matches the server exactly: the router is built the way `reos serve`
// builds it (health routes, the ops admin API, add_rest_api_routes), and every registered
// (method, path) must be in schemas/openapi.yaml and every documented one registered.
// Also: the document is served as JSON at /api/v1/openapi.json without authentication.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "admin_api/admin_api.hpp"
#include "api/api_context.hpp"
#include "api/openapi_route.hpp"
#include "cli/rest_api_routes.hpp"
#include "config/hub_config.hpp"
#include "db/connection_pool.hpp"
#include "http/health_routes.hpp"
#include "http/metrics_registry.hpp"
#include "http/router.hpp"
#include "queue/job_queue.hpp"
#include "support/api_harness.hpp"

namespace reos {
namespace {

using Route = std::pair<std::string, std::string>;  // (METHOD, path pattern)

std::set<Route> documented_routes() {
  const nlohmann::json spec = nlohmann::json::parse(api::openapi_json());
  std::set<Route> out;
  static const std::set<std::string> methods = {"get",     "put",  "post",  "delete",
                                                "options", "head", "patch", "trace"};
  for (const auto& [path, item] : spec.at("paths").items())
    for (const auto& [key, op] : item.items())
      if (methods.count(key)) {
        std::string upper = key;
        for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        out.insert({upper, path});
      }
  return out;
}

// The routes of a router built exactly like serve_command.cpp does. Building registers
// handlers only: the pool opens no connection, so no database is needed.
std::set<Route> served_routes() {
  db::ConnectionPool pool("host=/nonexistent dbname=none", 1);
  const queue::JobQueue queue;
  http::MetricsRegistry metrics;
  http::Router router;
  http::add_health_routes(router, metrics, [] { return http::ReadinessResult{true, ""}; });
  admin_api::add_admin_routes(router, {&pool, "an-operator-token-of-length", {}});
  config::HubConfig hub;
  const auto api = cli::make_api_context(hub, pool, queue);
  cli::add_rest_api_routes(router, *api, {"an-operator-token-of-length", &hub});
  std::set<Route> out;
  for (const auto& r : router.routes()) out.insert(r);
  return out;
}

std::string list(const std::set<Route>& routes) {
  std::ostringstream s;
  for (const auto& [method, path] : routes) s << "\n  " << method << " " << path;
  return s.str();
}

TEST(OpenApiRoutes, EveryServedRouteIsDocumentedAndViceVersa) {
  const std::set<Route> documented = documented_routes();
  const std::set<Route> served = served_routes();
  ASSERT_FALSE(served.empty());
  std::set<Route> undocumented, unserved;
  for (const Route& r : served)
    if (!documented.count(r)) undocumented.insert(r);
  for (const Route& r : documented)
    if (!served.count(r)) unserved.insert(r);
  EXPECT_TRUE(undocumented.empty())
      << "registered but missing from schemas/openapi.yaml:" << list(undocumented);
  EXPECT_TRUE(unserved.empty()) << "in schemas/openapi.yaml but not registered:" << list(unserved);
}

TEST(OpenApiRoutes, EveryOperationDeclaresResponses) {
  const nlohmann::json spec = nlohmann::json::parse(api::openapi_json());
  EXPECT_EQ(spec.at("openapi"), "3.1.0");
  for (const auto& [path, item] : spec.at("paths").items())
    for (const auto& [method, op] : item.items()) {
      if (!op.is_object()) continue;
      EXPECT_TRUE(op.contains("responses") && !op["responses"].empty()) << method << " " << path;
    }
}

TEST(YamlToJson, ScalarsFollowTheCoreSchemaAndQuotedStaysString) {
  const auto j = nlohmann::json::parse(api::yaml_to_json(
      "a: 1\nb: '1'\nc: true\nd: \"false\"\ne: ~\nf: 2.5\ng: text\nh: [x, 3]\n'200': {k: null}\n"
      "i: -7\nj: 1e3\nk: 0x10\n"));
  EXPECT_EQ(j["a"], 1);
  EXPECT_EQ(j["b"], "1");
  EXPECT_EQ(j["c"], true);
  EXPECT_EQ(j["d"], "false");
  EXPECT_TRUE(j["e"].is_null());
  EXPECT_EQ(j["f"], 2.5);
  EXPECT_EQ(j["g"], "text");
  EXPECT_EQ(j["h"], nlohmann::json::array({"x", 3}));
  EXPECT_TRUE(j["200"]["k"].is_null());
  EXPECT_EQ(j["i"], -7);
  EXPECT_EQ(j["j"], 1000.0);
  EXPECT_EQ(j["k"], "0x10");  // not core-schema decimal: kept as text
}

TEST(YamlToJson, SyntaxErrorsNameLineAndColumn) {
  try {
    api::yaml_to_json("a: 1\nb: [unclosed\n");
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("openapi.yaml:"), std::string::npos) << e.what();
  }
}

TEST(OpenApiRoute, ServedAsJsonWithoutAuthentication) {
  test::ApiHarness h(
      [](http::Router& r, const api::ApiContext& api) { api::add_openapi_route(r, api); },
      test::ApiHarnessOptions{});
  const auto r = h.call("GET", "/api/v1/openapi.json", "");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("content-type"), "application/json");
  const auto served = nlohmann::json::parse(r.body);
  EXPECT_EQ(served, nlohmann::json::parse(api::openapi_json()));
  EXPECT_TRUE(served["paths"].contains("/api/v1/openapi.json"));
  EXPECT_EQ(served["paths"]["/api/v1/openapi.json"]["get"]["security"], nlohmann::json::array());
}

}  // namespace
}  // namespace reos
