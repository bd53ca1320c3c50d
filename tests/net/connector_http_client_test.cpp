// The outbound client on the happy path and its hard edges, over real loopback HTTP:
// round-trips, redirects, schemes, size limits, timeouts, metrics.

#include "net/connector_http_client.hpp"

#include <gtest/gtest.h>

#include "http/prometheus_text.hpp"
#include "net/fault_server.hpp"
#include "reos/plugin.h"

namespace reos::net {
namespace {

using std::chrono::milliseconds;
using test::reply;

plugin_runtime::HttpExchange request(std::string method, std::string url) {
  plugin_runtime::HttpExchange e;
  e.method = std::move(method);
  e.url = std::move(url);
  return e;
}

const std::string* header(const plugin_runtime::HttpExchange& e, const std::string& name) {
  for (const auto& [n, v] : e.response_headers)
    if (n == name) return &v;
  return nullptr;
}

long long elapsed_ms(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - since).count();
}

class ConnectorHttpClientTest : public ::testing::Test {
 protected:
  test::ScriptedServer server;
  http::MetricsRegistry metrics;
};

TEST_F(ConnectorHttpClientTest, SucceedsOnTheFirstAttempt) {
  server.script("ok", {reply(200, "hello")});
  ConnectorHttpClient client({}, metrics, "acme", "mls");
  auto e = request("GET", server.url("ok"));
  PerformDetails details;
  auto st = client.perform(e, milliseconds(5000), details);
  EXPECT_EQ(st.status, REOS_OK) << st.error;
  EXPECT_EQ(st.error, "");
  EXPECT_EQ(e.status, 200);
  EXPECT_EQ(e.response_body, "hello");
  EXPECT_EQ(details.attempts, 1);
  EXPECT_EQ(server.hits("ok"), 1);
}

TEST_F(ConnectorHttpClientTest, RequestHeadersAndBodyReachTheServerAndResponseHeadersComeBack) {
  server.script("echo",
                {reply(201, "{\"id\":7}", {{"X-Vendor-Id", "abc-123"}, {"ETag", "\"v1\""}})});
  ConnectorHttpClient client({}, metrics, "acme", "crm");
  auto e = request("POST", server.url("echo") + "?source=test");
  e.request_headers = {
      {"Authorization", "Bearer t0ken"}, {"Content-Type", "application/json"}, {"X-Trace", "t-1"}};
  e.request_body = std::string(5000, 'x');  // large enough that curl would add Expect:
  auto st = client.perform(e, milliseconds(5000));
  ASSERT_EQ(st.status, REOS_OK) << st.error;
  EXPECT_EQ(e.status, 201);
  EXPECT_EQ(e.response_body, "{\"id\":7}");
  ASSERT_NE(header(e, "X-Vendor-Id"), nullptr);
  EXPECT_EQ(*header(e, "X-Vendor-Id"), "abc-123");
  ASSERT_NE(header(e, "ETag"), nullptr);
  EXPECT_EQ(*header(e, "ETag"), "\"v1\"");

  const http::Request seen = server.last_request("echo");
  EXPECT_EQ(seen.method, "POST");
  EXPECT_EQ(seen.query, "source=test");
  EXPECT_EQ(seen.header("authorization"), "Bearer t0ken");
  EXPECT_EQ(seen.header("content-type"), "application/json");
  EXPECT_EQ(seen.header("x-trace"), "t-1");
  EXPECT_EQ(seen.header("expect", "<none>"), "<none>");
  EXPECT_EQ(seen.header("user-agent"), "reos-hub");
  EXPECT_EQ(seen.body, e.request_body);
}

TEST_F(ConnectorHttpClientTest, SendsNoImplicitFormContentTypeAndHonoursOtherMethods) {
  server.script("m", {reply(204)});
  ConnectorHttpClient client({}, metrics, "acme", "crm");
  auto post = request("POST", server.url("m"));
  post.request_body = "raw";
  ASSERT_EQ(client.perform(post, milliseconds(5000)).status, REOS_OK);
  EXPECT_EQ(server.last_request("m").header("content-type", "<none>"), "<none>");

  for (const char* method : {"PUT", "PATCH", "DELETE"}) {
    auto e = request(method, server.url("m"));
    ASSERT_EQ(client.perform(e, milliseconds(5000)).status, REOS_OK) << method;
    EXPECT_EQ(server.last_request("m").method, method);
  }
}

TEST_F(ConnectorHttpClientTest, ReturnsClientErrorsAsOkWithoutRetrying) {
  server.script("missing", {reply(404, "no such listing")});
  ConnectorHttpClient client({}, metrics, "acme", "mls");
  auto e = request("GET", server.url("missing"));
  auto st = client.perform(e, milliseconds(5000));
  EXPECT_EQ(st.status, REOS_OK) << st.error;
  EXPECT_EQ(e.status, 404);
  EXPECT_EQ(e.response_body, "no such listing");
  EXPECT_EQ(server.hits("missing"), 1);
}

TEST_F(ConnectorHttpClientTest, DoesNotFollowRedirects) {
  server.script("target", {reply(200, "moved here")});
  server.script("old", {reply(302, "", {{"Location", server.url("target")}})});
  ConnectorHttpClient client({}, metrics, "acme", "mls");
  auto e = request("GET", server.url("old"));
  ASSERT_EQ(client.perform(e, milliseconds(5000)).status, REOS_OK);
  EXPECT_EQ(e.status, 302);
  EXPECT_EQ(server.hits("target"), 0);
}

TEST_F(ConnectorHttpClientTest, RefusesNonHttpSchemesAsPermanentFailures) {
  ConnectorHttpClient client({}, metrics, "acme", "mls");
  auto e = request("GET", "file:///etc/passwd");
  auto st = client.perform(e, milliseconds(5000));
  EXPECT_EQ(st.status, REOS_FAIL);
  EXPECT_NE(st.error.find("unsupported scheme 'file'"), std::string::npos) << st.error;
  EXPECT_TRUE(e.response_body.empty());
  EXPECT_EQ(client.circuit_state(), CircuitState::closed);

  auto ftp = request("GET", "ftp://127.0.0.1/x");
  EXPECT_EQ(client.perform(ftp, milliseconds(5000)).status, REOS_FAIL);
  auto bad = request("GET", "not a url");
  EXPECT_EQ(client.perform(bad, milliseconds(5000)).status, REOS_FAIL);
}

TEST_F(ConnectorHttpClientTest, RefusesInvalidMethodsAndHeaderInjection) {
  server.script("ok", {reply(200)});
  ConnectorHttpClient client({}, metrics, "acme", "mls");
  auto bad_method = request("GE T", server.url("ok"));
  EXPECT_EQ(client.perform(bad_method, milliseconds(5000)).status, REOS_FAIL);
  auto injected = request("GET", server.url("ok"));
  injected.request_headers = {{"X-A", "1\r\nX-Evil: 1"}};
  auto st = client.perform(injected, milliseconds(5000));
  EXPECT_EQ(st.status, REOS_FAIL);
  EXPECT_NE(st.error.find("invalid request header"), std::string::npos) << st.error;
  EXPECT_EQ(server.hits("ok"), 0);
}

TEST_F(ConnectorHttpClientTest, FailsWhenTheResponseBodyExceedsTheLimit) {
  server.script("big", {reply(200, std::string(64 * 1024, 'b'))});
  ConnectorHttpOptions options;
  options.max_response_bytes = 1024;
  ConnectorHttpClient client({}, metrics, "acme", "mls", options);
  auto e = request("GET", server.url("big"));
  auto st = client.perform(e, milliseconds(5000));
  EXPECT_EQ(st.status, REOS_FAIL);
  EXPECT_NE(st.error.find("exceeds the limit of 1024 bytes"), std::string::npos) << st.error;
  EXPECT_EQ(server.hits("big"), 1);  // not retried
}

TEST_F(ConnectorHttpClientTest, TimesOutSlowResponsesAtTheRequestTimeout) {
  server.script("slow", {reply(200, "late", {}, milliseconds(1000))});
  ConnectorHttpSettings s;
  s.max_retries = 0;
  ConnectorHttpClient client(s, metrics, "acme", "mls");
  auto e = request("GET", server.url("slow"));
  e.timeout_ms = 150;
  const auto t0 = std::chrono::steady_clock::now();
  auto st = client.perform(e, milliseconds(5000));
  EXPECT_EQ(st.status, REOS_RETRY);
  EXPECT_NE(st.error.find("imed out"), std::string::npos) << st.error;
  EXPECT_EQ(e.status, 0);
  EXPECT_LT(elapsed_ms(t0), 800);
}

TEST_F(ConnectorHttpClientTest, TheDeadlineCutsTheAttemptTimeout) {
  server.script("slow", {reply(200, "late", {}, milliseconds(1000))});
  ConnectorHttpClient client({}, metrics, "acme", "mls");  // timeout 10 s, 3 retries
  auto e = request("GET", server.url("slow"));
  const auto t0 = std::chrono::steady_clock::now();
  auto st = client.perform(e, milliseconds(250));
  EXPECT_EQ(st.status, REOS_RETRY) << st.error;
  EXPECT_LT(elapsed_ms(t0), 800);
  EXPECT_GE(elapsed_ms(t0), 150);
}

TEST_F(ConnectorHttpClientTest, ExportsPerConnectorMetrics) {
  server.script("flaky", {reply(503), reply(503), reply(200)});
  ConnectorHttpSettings s;
  s.backoff_base_ms = 1;
  s.backoff_cap_ms = 2;
  ConnectorHttpClient client(s, metrics, "acme", "mls");
  auto e = request("GET", server.url("flaky"));
  ASSERT_EQ(client.perform(e, milliseconds(5000)).status, REOS_OK);

  test::PromExposition exp;
  ASSERT_EQ(test::parse_prometheus_text(metrics.render(), exp), "");
  EXPECT_EQ(test::check_histograms(exp), "");
  const std::map<std::string, std::string> who = {{"tenant", "acme"}, {"connector", "mls"}};
  auto with_status = [&](const std::string& status) {
    auto labels = who;
    labels["status"] = status;
    return exp.value("reos_connector_http_requests_total", labels);
  };
  EXPECT_EQ(with_status("503"), 2.0);
  EXPECT_EQ(with_status("200"), 1.0);
  EXPECT_EQ(exp.value("reos_connector_http_retries_total", who), 2.0);
  EXPECT_EQ(exp.value("reos_connector_http_request_duration_seconds_count", who), 3.0);
  EXPECT_EQ(exp.value("reos_connector_circuit_state", who), 0.0);
  EXPECT_EQ(exp.value("reos_connector_rate_limited_total", who), 0.0);
  EXPECT_EQ(exp.families["reos_connector_http_requests_total"].type, "counter");
  EXPECT_EQ(exp.families["reos_connector_http_request_duration_seconds"].type, "histogram");
  EXPECT_EQ(exp.families["reos_connector_circuit_state"].type, "gauge");

  // A transport failure is counted as status="error".
  ConnectorHttpSettings no_retry;
  no_retry.max_retries = 0;
  ConnectorHttpClient refused(no_retry, metrics, "acme", "dead");
  auto r = request("GET", "http://127.0.0.1:" + std::to_string(test::refused_port()) + "/");
  EXPECT_EQ(refused.perform(r, milliseconds(5000)).status, REOS_RETRY);
  test::PromExposition after;
  ASSERT_EQ(test::parse_prometheus_text(metrics.render(), after), "");
  EXPECT_EQ(after.value("reos_connector_http_requests_total",
                        {{"tenant", "acme"}, {"connector", "dead"}, {"status", "error"}}),
            1.0);
}

}  // namespace
}  // namespace reos::net
