#include "http/health_routes.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <nlohmann/json.hpp>

#include "core/build_info.hpp"
#include "log/logger.hpp"
#include "prometheus_text.hpp"
#include "support/http_client.hpp"
#include "test_server.hpp"

namespace reos::http {
namespace {

class HealthRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log::init("warn", "text");
    add_health_routes(ts.router, ts.metrics, [this] {
      if (probe_throws) throw std::runtime_error("secret connection string");
      return ReadinessResult{ready.load(), reason};
    });
    ts.router.add("GET", "/api/v1/things/{id}",
                  [](const Request&) { return json_response(200, "{}"); });
    ts.start();
  }

  std::atomic<bool> ready{true};
  std::atomic<bool> probe_throws{false};
  std::string reason;
  test::TestServer ts;
};

TEST_F(HealthRoutesTest, HealthzIsOk) {
  auto r = test::get(ts.port(), "/healthz");
  ASSERT_EQ(r.curl_code, CURLE_OK) << r.curl_error;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-type"), "application/json");
  EXPECT_EQ(nlohmann::json::parse(r.body), nlohmann::json({{"status", "ok"}}));
  EXPECT_EQ(r.header("cache-control"), "no-store");
}

TEST_F(HealthRoutesTest, HealthzDoesNotConsultReadiness) {
  ready = false;
  probe_throws = true;
  EXPECT_EQ(test::get(ts.port(), "/healthz").status, 200);
}

TEST_F(HealthRoutesTest, ReadyzIs200WhenReady) {
  auto r = test::get(ts.port(), "/readyz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(nlohmann::json::parse(r.body), nlohmann::json({{"status", "ready"}}));
}

TEST_F(HealthRoutesTest, ReadyzIs503ProblemWithTheReason) {
  ready = false;
  reason = "migrations behind: run `reos migrate`";
  auto r = test::get(ts.port(), "/readyz");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.header("content-type"), "application/problem+json");
  auto doc = nlohmann::json::parse(r.body);
  EXPECT_EQ(doc.at("status"), 503);
  EXPECT_EQ(doc.at("title"), "Service Unavailable");
  EXPECT_EQ(doc.at("type"), "about:blank");
  EXPECT_EQ(doc.at("detail"), "migrations behind: run `reos migrate`");
  EXPECT_EQ(doc.at("instance"), "/readyz");
}

TEST_F(HealthRoutesTest, ReadyzIs503WhenTheProbeThrowsWithoutLeakingIt) {
  probe_throws = true;
  auto r = test::get(ts.port(), "/readyz");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.body.find("secret"), std::string::npos) << r.body;
}

TEST_F(HealthRoutesTest, MetricsIsStrictPrometheusTextAndCountsEarlierRequests) {
  ts.metrics.add_gauge_callback("reos_db_pool_connections", "Pool connections by state",
                                {{"state", "idle"}}, [] { return 3.0; });
  for (int i = 0; i < 3; ++i) test::get(ts.port(), "/api/v1/things/" + std::to_string(i));
  test::get(ts.port(), "/healthz");
  test::get(ts.port(), "/no/such/route");
  ready = false;
  test::get(ts.port(), "/readyz");

  auto r = test::get(ts.port(), "/metrics");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-type"), "text/plain; version=0.0.4; charset=utf-8");

  test::PromExposition exp;
  ASSERT_EQ(test::parse_prometheus_text(r.body, exp), "") << r.body;
  ASSERT_EQ(test::check_histograms(exp), "") << r.body;
  for (const auto& [name, fam] : exp.families) {
    EXPECT_FALSE(fam.type.empty()) << name << " has no TYPE";
  }

  const std::string total = "reos_http_requests_total";
  EXPECT_EQ(
      exp.value(total, {{"route", "/api/v1/things/{id}"}, {"method", "GET"}, {"status", "200"}}),
      3.0)
      << r.body;
  EXPECT_EQ(exp.value(total, {{"route", "/healthz"}, {"method", "GET"}, {"status", "200"}}), 1.0);
  EXPECT_EQ(exp.value(total, {{"route", "/readyz"}, {"method", "GET"}, {"status", "503"}}), 1.0);
  EXPECT_EQ(exp.value(total, {{"route", "unmatched"}, {"method", "GET"}, {"status", "404"}}), 1.0);
  // The scrape itself is answered after rendering, so it is not counted yet...
  EXPECT_FALSE(exp.value(total, {{"route", "/metrics"}, {"method", "GET"}, {"status", "200"}}));
  // ...but it is in flight while rendering.
  EXPECT_EQ(exp.value("reos_http_requests_in_flight"), 1.0);
  EXPECT_EQ(exp.value("reos_http_request_duration_seconds_count",
                      {{"route", "/api/v1/things/{id}"}, {"method", "GET"}}),
            3.0);
  EXPECT_EQ(exp.value("reos_http_request_duration_seconds_bucket",
                      {{"route", "/api/v1/things/{id}"}, {"method", "GET"}, {"le", "+Inf"}}),
            3.0);
  EXPECT_EQ(exp.value("reos_build_info",
                      {{"version", build_info().version}, {"commit", build_info().git_commit}}),
            1.0);
  EXPECT_EQ(exp.value("reos_db_pool_connections", {{"state", "idle"}}), 3.0);

  // A second scrape counts the first.
  auto again = test::get(ts.port(), "/metrics");
  test::PromExposition exp2;
  ASSERT_EQ(test::parse_prometheus_text(again.body, exp2), "");
  EXPECT_EQ(exp2.value(total, {{"route", "/metrics"}, {"method", "GET"}, {"status", "200"}}), 1.0);
}

TEST_F(HealthRoutesTest, RoutesAreRegistered) {
  auto routes = ts.router.routes();
  for (const char* path : {"/healthz", "/readyz", "/metrics"}) {
    EXPECT_NE(std::find(routes.begin(), routes.end(),
                        std::make_pair(std::string("GET"), std::string(path))),
              routes.end())
        << path;
  }
}

}  // namespace
}  // namespace reos::http
