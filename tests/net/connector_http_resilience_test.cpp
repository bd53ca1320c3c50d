// The outbound client when providers misbehave: retries and backoff, Retry-After, deadlines,
// the POST retry policy, the rate limit and the circuit breaker — over real loopback HTTP.

#include <gtest/gtest.h>

#include <ctime>

#include "http/prometheus_text.hpp"
#include "net/connector_http_client.hpp"
#include "net/fault_server.hpp"
#include "net/manual_clock.hpp"
#include "reos/plugin.h"

namespace reos::net {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using test::reply;

plugin_runtime::HttpExchange request(std::string method, std::string url) {
  plugin_runtime::HttpExchange e;
  e.method = std::move(method);
  e.url = std::move(url);
  return e;
}

long long elapsed_ms(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - since).count();
}

/// Fast backoff so that retry tests take milliseconds.
ConnectorHttpSettings fast(int max_retries = 3) {
  ConnectorHttpSettings s;
  s.max_retries = max_retries;
  s.backoff_base_ms = 5;
  s.backoff_cap_ms = 20;
  return s;
}

std::string imf_fixdate(std::chrono::system_clock::time_point t) {
  const std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

class ConnectorHttpResilienceTest : public ::testing::Test {
 protected:
  double metric(const std::string& name, std::map<std::string, std::string> labels) {
    test::PromExposition exp;
    EXPECT_EQ(test::parse_prometheus_text(metrics.render(), exp), "");
    return exp.value(name, labels).value_or(-1);
  }

  test::ScriptedServer server;
  http::MetricsRegistry metrics;
};

// ---- retries -------------------------------------------------------------------------

TEST_F(ConnectorHttpResilienceTest, RetriesUnavailableThenSucceeds) {
  server.script("flaky", {reply(503), reply(503), reply(200, "finally")});
  ConnectorHttpClient client(fast(), metrics, "acme", "mls");
  auto e = request("GET", server.url("flaky"));
  PerformDetails details;
  auto st = client.perform(e, milliseconds(5000), details);
  EXPECT_EQ(st.status, REOS_OK) << st.error;
  EXPECT_EQ(e.status, 200);
  EXPECT_EQ(e.response_body, "finally");
  EXPECT_EQ(server.hits("flaky"), 3);
  EXPECT_EQ(details.attempts, 3);
}

TEST_F(ConnectorHttpResilienceTest, GivesUpAfterMaxRetriesWithRetryAndTheLastResponse) {
  server.script("down", {reply(502, "bad gateway")});
  ConnectorHttpClient client(fast(2), metrics, "acme", "mls");
  auto e = request("GET", server.url("down"));
  auto st = client.perform(e, milliseconds(5000));
  EXPECT_EQ(st.status, REOS_RETRY);
  EXPECT_NE(st.error.find("HTTP 502 after 3 attempts"), std::string::npos) << st.error;
  EXPECT_EQ(server.hits("down"), 3);
  EXPECT_EQ(e.status, 502);  // the plugin still sees what the provider said
  EXPECT_EQ(e.response_body, "bad gateway");
}

TEST_F(ConnectorHttpResilienceTest, BackoffFollowsFullJitterWithTheInjectedRandom) {
  server.script("down", {reply(500)});
  test::ManualClock clock;
  ConnectorHttpSettings s;
  s.max_retries = 4;
  s.backoff_base_ms = 100;
  s.backoff_cap_ms = 500;
  ConnectorHttpOptions options;
  options.clock = &clock;
  options.random = [] { return 0.5; };
  ConnectorHttpClient client(s, metrics, "acme", "mls", options);
  auto e = request("GET", server.url("down"));
  EXPECT_EQ(client.perform(e, seconds(60)).status, REOS_RETRY);
  // 0.5 × min(500, 100 × 2^n) for n = 0..3
  const std::vector<milliseconds> expected = {milliseconds(50), milliseconds(100),
                                              milliseconds(200), milliseconds(250)};
  EXPECT_EQ(clock.sleeps(), expected);
  EXPECT_EQ(server.hits("down"), 5);
}

TEST_F(ConnectorHttpResilienceTest, HonoursRetryAfterInSeconds) {
  server.script("limited", {reply(429, "", {{"Retry-After", "1"}}), reply(200)});
  ConnectorHttpClient client(fast(), metrics, "acme", "mls");
  auto e = request("GET", server.url("limited"));
  const auto t0 = std::chrono::steady_clock::now();
  auto st = client.perform(e, milliseconds(10000));
  const auto took = elapsed_ms(t0);
  EXPECT_EQ(st.status, REOS_OK) << st.error;
  EXPECT_EQ(server.hits("limited"), 2);
  EXPECT_GE(took, 950);
  EXPECT_LT(took, 4000);
}

TEST_F(ConnectorHttpResilienceTest, HonoursRetryAfterAsAnHttpDate) {
  test::ManualClock clock;
  const std::string when = imf_fixdate(clock.wall_now() + seconds(8));
  server.script("busy", {reply(503, "", {{"Retry-After", when}}), reply(200)});
  ConnectorHttpOptions options;
  options.clock = &clock;
  ConnectorHttpClient client(fast(), metrics, "acme", "mls", options);
  auto e = request("GET", server.url("busy"));
  ASSERT_EQ(client.perform(e, seconds(60)).status, REOS_OK);
  ASSERT_EQ(clock.sleeps().size(), 1u);
  // Whole seconds on the wire: the wait is between 7 and 8 s, far above the 20 ms backoff.
  EXPECT_GE(clock.sleeps()[0], milliseconds(7000));
  EXPECT_LE(clock.sleeps()[0], milliseconds(8000));
}

TEST_F(ConnectorHttpResilienceTest, DeadlineShorterThanTheWaitReturnsRetryPromptly) {
  server.script("later", {reply(503, "", {{"Retry-After", "10"}}), reply(200)});
  ConnectorHttpClient client(fast(), metrics, "acme", "mls");
  auto e = request("GET", server.url("later"));
  PerformDetails details;
  const auto t0 = std::chrono::steady_clock::now();
  auto st = client.perform(e, milliseconds(2000), details);
  EXPECT_LT(elapsed_ms(t0), 500);
  EXPECT_EQ(st.status, REOS_RETRY);
  EXPECT_NE(st.error.find("would pass the deadline"), std::string::npos) << st.error;
  EXPECT_EQ(server.hits("later"), 1);
  EXPECT_EQ(e.status, 503);
  ASSERT_TRUE(details.retry_after.has_value());
  EXPECT_EQ(*details.retry_after, seconds(10));
}

TEST_F(ConnectorHttpResilienceTest, RetriesConnectionFailuresForIdempotentRequests) {
  test::DroppingServer dropper;
  ConnectorHttpClient client(fast(2), metrics, "acme", "mls");
  auto e = request("GET", dropper.url("/feed"));
  auto st = client.perform(e, milliseconds(5000));
  EXPECT_EQ(st.status, REOS_RETRY);
  EXPECT_EQ(dropper.connections(), 3);
  EXPECT_EQ(e.status, 0);
}

// ---- non-idempotent requests -----------------------------------------------------------

TEST_F(ConnectorHttpResilienceTest, PostIsRetriedOnRateLimitAndUnavailable) {
  server.script("send", {reply(429), reply(503), reply(202)});
  ConnectorHttpClient client(fast(), metrics, "acme", "sendgrid");
  auto e = request("POST", server.url("send"));
  e.request_body = "{}";
  EXPECT_EQ(client.perform(e, milliseconds(5000)).status, REOS_OK);
  EXPECT_EQ(server.hits("send"), 3);
  EXPECT_EQ(e.status, 202);
}

TEST_F(ConnectorHttpResilienceTest, PostIsNotRetriedOnGatewayErrors) {
  server.script("send", {reply(502), reply(202)});
  ConnectorHttpClient client(fast(), metrics, "acme", "sendgrid");
  auto post = request("POST", server.url("send"));
  EXPECT_EQ(client.perform(post, milliseconds(5000)).status, REOS_OK);  // the plugin decides
  EXPECT_EQ(post.status, 502);
  EXPECT_EQ(server.hits("send"), 1);

  server.script("get", {reply(502), reply(200)});
  auto get = request("GET", server.url("get"));
  EXPECT_EQ(client.perform(get, milliseconds(5000)).status, REOS_OK);
  EXPECT_EQ(get.status, 200);
  EXPECT_EQ(server.hits("get"), 2);
}

TEST_F(ConnectorHttpResilienceTest, PostWithAnIdempotencyKeyIsRetriedLikeAGet) {
  server.script("send", {reply(502), reply(202)});
  ConnectorHttpClient client(fast(), metrics, "acme", "sendgrid");
  auto e = request("POST", server.url("send"));
  e.request_headers = {{"Idempotency-Key", "msg-42"}};
  EXPECT_EQ(client.perform(e, milliseconds(5000)).status, REOS_OK);
  EXPECT_EQ(e.status, 202);
  EXPECT_EQ(server.hits("send"), 2);
}

TEST_F(ConnectorHttpResilienceTest, PostIsNotRetriedOnceTheRequestMayHaveBeenSent) {
  test::DroppingServer dropper;
  ConnectorHttpClient client(fast(3), metrics, "acme", "sendgrid");
  auto e = request("POST", dropper.url("/mail/send"));
  e.request_body = "{\"to\":\"a@example.com\"}";
  auto st = client.perform(e, milliseconds(5000));
  EXPECT_EQ(st.status, REOS_RETRY);
  EXPECT_NE(st.error.find("not retried"), std::string::npos) << st.error;
  EXPECT_EQ(dropper.connections(), 1);
}

TEST_F(ConnectorHttpResilienceTest, PostThatTimedOutWaitingForTheAnswerIsNotRetried) {
  server.script("slow", {reply(202, "", {}, milliseconds(600))});
  ConnectorHttpClient client(fast(3), metrics, "acme", "sendgrid");
  auto e = request("POST", server.url("slow"));
  e.request_body = "{}";
  e.timeout_ms = 150;
  auto st = client.perform(e, milliseconds(5000));
  EXPECT_EQ(st.status, REOS_RETRY);
  EXPECT_NE(st.error.find("not retried"), std::string::npos) << st.error;
  EXPECT_EQ(server.hits("slow"), 1);

  // The same timeout on a GET is retried.
  server.script("slow-get", {reply(200, "", {}, milliseconds(600))});
  auto get = request("GET", server.url("slow-get"));
  get.timeout_ms = 150;
  ConnectorHttpClient once_more(fast(1), metrics, "acme", "mls");
  EXPECT_EQ(once_more.perform(get, milliseconds(5000)).status, REOS_RETRY);
  EXPECT_EQ(server.hits("slow-get"), 2);
}

TEST_F(ConnectorHttpResilienceTest, PostIsRetriedWhenTheConnectionWasRefused) {
  ConnectorHttpClient client(fast(2), metrics, "acme", "sendgrid");
  auto e = request("POST", "http://127.0.0.1:" + std::to_string(test::refused_port()) + "/x");
  PerformDetails details;
  auto st = client.perform(e, milliseconds(5000), details);
  EXPECT_EQ(st.status, REOS_RETRY);
  EXPECT_EQ(details.attempts, 3);
  EXPECT_NE(st.error.find("after 3 attempts"), std::string::npos) << st.error;
}

// ---- rate limit ----------------------------------------------------------------------

TEST_F(ConnectorHttpResilienceTest, RateLimitSpacesRequestsOut) {
  server.script("ok", {reply(200)});
  ConnectorHttpSettings s;
  s.rate_per_s = 5;  // one every 200 ms after the first
  s.burst = 1;
  ConnectorHttpClient client(s, metrics, "acme", "mls");
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 6; ++i) {
    auto e = request("GET", server.url("ok"));
    ASSERT_EQ(client.perform(e, milliseconds(5000)).status, REOS_OK);
  }
  const auto took = elapsed_ms(t0);
  EXPECT_GE(took, 950);
  EXPECT_LT(took, 4000);
  EXPECT_EQ(server.hits("ok"), 6);
  EXPECT_EQ(metric("reos_connector_rate_limited_total", {{"tenant", "acme"}, {"connector", "mls"}}),
            5.0);
}

TEST_F(ConnectorHttpResilienceTest, RateLimitRefusesWhenNoTokenComesBeforeTheDeadline) {
  server.script("ok", {reply(200)});
  ConnectorHttpSettings s;
  s.rate_per_s = 0.5;  // a token every 2 s
  s.burst = 1;
  ConnectorHttpClient client(s, metrics, "acme", "mls");
  auto first = request("GET", server.url("ok"));
  ASSERT_EQ(client.perform(first, milliseconds(5000)).status, REOS_OK);
  auto second = request("GET", server.url("ok"));
  PerformDetails details;
  const auto t0 = std::chrono::steady_clock::now();
  auto st = client.perform(second, milliseconds(500), details);
  EXPECT_LT(elapsed_ms(t0), 200);
  EXPECT_EQ(st.status, REOS_RETRY);
  EXPECT_NE(st.error.find("rate limit: no token within deadline"), std::string::npos) << st.error;
  EXPECT_EQ(server.hits("ok"), 1);
  ASSERT_TRUE(details.retry_after.has_value());
  EXPECT_GT(*details.retry_after, milliseconds(1000));
  EXPECT_EQ(metric("reos_connector_rate_limited_total", {{"tenant", "acme"}, {"connector", "mls"}}),
            1.0);
}

// ---- circuit breaker -----------------------------------------------------------------

TEST_F(ConnectorHttpResilienceTest, OpenCircuitRefusesWithoutCallingTheServer) {
  server.script("down", {reply(503)});
  test::ManualClock clock;
  ConnectorHttpSettings s = fast(1);
  s.breaker_failures = 2;
  s.breaker_cooldown_ms = 30000;
  ConnectorHttpOptions options;
  options.clock = &clock;
  ConnectorHttpClient client(s, metrics, "acme", "mls", options);

  for (int i = 0; i < 2; ++i) {
    auto e = request("GET", server.url("down"));
    ASSERT_EQ(client.perform(e, seconds(10)).status, REOS_RETRY);
  }
  EXPECT_EQ(server.hits("down"), 4);  // 2 performs × 2 attempts
  EXPECT_EQ(client.circuit_state(), CircuitState::open);

  auto e = request("GET", server.url("down"));
  PerformDetails details;
  auto st = client.perform(e, seconds(10), details);
  EXPECT_EQ(st.status, REOS_RETRY);
  EXPECT_NE(st.error.find("circuit open for connector 'mls'"), std::string::npos) << st.error;
  EXPECT_EQ(server.hits("down"), 4);  // unchanged
  EXPECT_EQ(details.attempts, 0);
  ASSERT_TRUE(details.retry_after.has_value());
  EXPECT_EQ(*details.retry_after, milliseconds(30000));
  EXPECT_EQ(metric("reos_connector_circuit_state", {{"tenant", "acme"}, {"connector", "mls"}}),
            2.0);

  // After the cooldown one probe goes through; the provider has recovered: closed again.
  clock.advance(seconds(30));
  EXPECT_EQ(client.circuit_state(), CircuitState::half_open);
  EXPECT_EQ(metric("reos_connector_circuit_state", {{"tenant", "acme"}, {"connector", "mls"}}),
            1.0);
  server.script("down", {reply(200, "back")});
  auto probe = request("GET", server.url("down"));
  EXPECT_EQ(client.perform(probe, seconds(10)).status, REOS_OK);
  EXPECT_EQ(server.hits("down"), 1);
  EXPECT_EQ(client.circuit_state(), CircuitState::closed);
  EXPECT_EQ(metric("reos_connector_circuit_state", {{"tenant", "acme"}, {"connector", "mls"}}),
            0.0);
}

TEST_F(ConnectorHttpResilienceTest, FailedProbeIsASingleAttemptAndReopensTheCircuit) {
  server.script("down", {reply(500)});
  test::ManualClock clock;
  ConnectorHttpSettings s = fast(3);
  s.breaker_failures = 1;
  s.breaker_cooldown_ms = 5000;
  ConnectorHttpOptions options;
  options.clock = &clock;
  ConnectorHttpClient client(s, metrics, "acme", "mls", options);
  auto first = request("GET", server.url("down"));
  ASSERT_EQ(client.perform(first, seconds(10)).status, REOS_RETRY);
  ASSERT_EQ(client.circuit_state(), CircuitState::open);
  const int before = server.hits("down");

  clock.advance(seconds(5));
  auto probe = request("GET", server.url("down"));
  auto st = client.perform(probe, seconds(10));
  EXPECT_EQ(st.status, REOS_RETRY);
  EXPECT_EQ(server.hits("down"), before + 1);  // no retries for the probe
  EXPECT_EQ(client.circuit_state(), CircuitState::open);
  EXPECT_EQ(client.circuit_open_until(), clock.now() + seconds(5));
}

TEST_F(ConnectorHttpResilienceTest, ClientErrorsAndPermanentFailuresDoNotOpenTheCircuit) {
  server.script("nope", {reply(404)});
  ConnectorHttpSettings s = fast(0);
  s.breaker_failures = 1;
  ConnectorHttpClient client(s, metrics, "acme", "mls");
  for (int i = 0; i < 3; ++i) {
    auto e = request("GET", server.url("nope"));
    ASSERT_EQ(client.perform(e, seconds(5)).status, REOS_OK);
    auto bad = request("GET", "file:///etc/passwd");
    ASSERT_EQ(client.perform(bad, seconds(5)).status, REOS_FAIL);
  }
  EXPECT_EQ(client.circuit_state(), CircuitState::closed);
}

}  // namespace
}  // namespace reos::net
