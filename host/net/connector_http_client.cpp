#include "net/connector_http_client.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <random>
#include <utility>

#include "core/http_headers.hpp"
#include "log/logger.hpp"
#include "net/curl_transport.hpp"
#include "net/outbound_url.hpp"
#include "net/retry_after.hpp"
#include "net/retry_policy.hpp"
#include "net/token_bucket.hpp"
#include "reos/plugin.h"

namespace reos::net {
namespace {

using std::chrono::milliseconds;
using SteadyTime = std::chrono::steady_clock::time_point;
using plugin_runtime::HttpExchange;
using plugin_runtime::ServiceStatus;

/// Less time than this left before the deadline is not worth an attempt.
constexpr milliseconds kMinAttemptTime{5};

/// Buckets for provider latency: external APIs are slower than our own endpoints.
const std::vector<double>& connector_latency_buckets() {
  static const std::vector<double> buckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
                                              1,     2.5,  5,     10,   30,  60};
  return buckets;
}

double default_random() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

milliseconds ceil_ms(std::chrono::steady_clock::duration d) {
  return std::max(milliseconds(0), std::chrono::ceil<milliseconds>(d));
}

std::string iso8601_utc(std::chrono::system_clock::time_point t) {
  const std::time_t tt =
      std::chrono::system_clock::to_time_t(std::chrono::ceil<std::chrono::seconds>(t));
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

ServiceStatus status(int32_t code, std::string message = {}) {
  return ServiceStatus{code, std::move(message)};
}

}  // namespace

struct ConnectorHttpClient::Impl {
  Impl(ConnectorHttpSettings s, http::MetricsRegistry& registry, std::string tenant,
       std::string connector, ConnectorHttpOptions opts);

  ServiceStatus perform(HttpExchange& exchange, milliseconds deadline_remaining,
                        PerformDetails& details);
  void record_attempt(const AttemptResult& result, double seconds);
  void on_circuit_change(CircuitState from, CircuitState to);
  std::string describe(const HttpExchange& exchange) const;
  std::string circuit_refusal(const CircuitBreaker::Permit& permit, SteadyTime now);

  const ConnectorHttpSettings settings;
  const std::string tenant_id;
  const std::string connector_id;
  Clock& clock;
  std::function<double()> random;
  const RetryPolicy retry_policy;
  CurlTransport transport;
  TokenBucket bucket;

  http::Family<http::Counter>& requests;
  http::Histogram& duration;
  http::Counter& retries;
  http::Gauge& circuit_gauge;
  http::Counter& rate_limited;

  CircuitBreaker breaker;  // last: its listener uses the members above
};

ConnectorHttpClient::Impl::Impl(ConnectorHttpSettings s, http::MetricsRegistry& registry,
                                std::string tenant, std::string connector,
                                ConnectorHttpOptions opts)
    : settings(s),
      tenant_id(std::move(tenant)),
      connector_id(std::move(connector)),
      clock(opts.clock ? *opts.clock : real_clock()),
      random(opts.random ? std::move(opts.random) : std::function<double()>(&default_random)),
      retry_policy(s.max_retries, milliseconds(s.backoff_base_ms), milliseconds(s.backoff_cap_ms)),
      transport(opts.max_response_bytes, std::move(opts.user_agent)),
      bucket(s.rate_per_s, s.burst, clock),
      requests(registry.counter("reos_connector_http_requests_total",
                                "Outbound HTTP attempts made for plugins, by HTTP status "
                                "(\"error\" when no response arrived).",
                                {"tenant", "connector", "status"})),
      duration(registry
                   .histogram("reos_connector_http_request_duration_seconds",
                              "Duration of outbound HTTP attempts made for plugins.",
                              {"tenant", "connector"}, connector_latency_buckets())
                   .with({tenant_id, connector_id})),
      retries(registry
                  .counter("reos_connector_http_retries_total",
                           "Outbound HTTP attempts that were retries of an earlier attempt.",
                           {"tenant", "connector"})
                  .with({tenant_id, connector_id})),
      circuit_gauge(registry
                        .gauge("reos_connector_circuit_state",
                               "Circuit breaker state per connector: 0 closed, 1 half-open, "
                               "2 open.",
                               {"tenant", "connector"})
                        .with({tenant_id, connector_id})),
      rate_limited(registry
                       .counter("reos_connector_rate_limited_total",
                                "Outbound HTTP attempts that waited for a rate-limit token or "
                                "were refused because none would come before the deadline.",
                                {"tenant", "connector"})
                       .with({tenant_id, connector_id})),
      breaker(CircuitBreakerSettings{s.breaker_failures, milliseconds(s.breaker_window_ms),
                                     milliseconds(s.breaker_cooldown_ms)},
              clock, [this](CircuitState from, CircuitState to) { on_circuit_change(from, to); }) {
  circuit_gauge.set(static_cast<double>(CircuitState::closed));
}

void ConnectorHttpClient::Impl::on_circuit_change(CircuitState from, CircuitState to) {
  circuit_gauge.set(static_cast<double>(to));
  log::warn("connector http: circuit breaker state changed", {{"tenant", tenant_id},
                                                              {"connector", connector_id},
                                                              {"from", to_string(from)},
                                                              {"to", to_string(to)}});
}

void ConnectorHttpClient::Impl::record_attempt(const AttemptResult& result, double seconds) {
  const std::string code = result.responded ? std::to_string(result.status) : "error";
  requests.with({tenant_id, connector_id, code}).inc();
  duration.observe(seconds);
}

std::string ConnectorHttpClient::Impl::describe(const HttpExchange& exchange) const {
  return exchange.method + " " + redact_url(exchange.url);
}

std::string ConnectorHttpClient::Impl::circuit_refusal(const CircuitBreaker::Permit& permit,
                                                       SteadyTime now) {
  const milliseconds wait = ceil_ms(permit.retry_at() - now);
  const std::string who = "connector '" + connector_id + "' (tenant '" + tenant_id + "')";
  if (breaker.state() == CircuitState::half_open)
    return "circuit half-open for " + who + ": a probe request is in flight; retry in " +
           std::to_string(wait.count()) + " ms";
  const auto until_wall = clock.wall_now() + wait;
  return "circuit open for " + who + " until " + iso8601_utc(until_wall) + " (retry in " +
         std::to_string(wait.count()) + " ms)";
}

ServiceStatus ConnectorHttpClient::Impl::perform(HttpExchange& exchange,
                                                 milliseconds deadline_remaining,
                                                 PerformDetails& details) {
  details = PerformDetails{};
  exchange.status = 0;
  exchange.response_headers.clear();
  exchange.response_body.clear();

  const SteadyTime start = clock.now();
  const SteadyTime deadline = start + deadline_remaining;

  // Requests that can never succeed are refused before they touch the breaker or bucket.
  if (std::string problem = check_outbound_url(exchange.url); !problem.empty())
    return status(REOS_FAIL, describe(exchange) + ": " + problem);
  if (deadline_remaining < kMinAttemptTime)
    return status(REOS_RETRY, describe(exchange) + ": deadline exceeded before the request");

  CircuitBreaker::Permit permit = breaker.acquire();
  if (!permit.allowed()) {
    details.retry_after = ceil_ms(permit.retry_at() - start);
    return status(REOS_RETRY, circuit_refusal(permit, start));
  }

  const bool idempotent = is_idempotent(exchange.method, exchange.request_headers);
  // The half-open probe is a single attempt: its answer decides the circuit.
  const int max_retries = permit.probe() ? 0 : retry_policy.max_retries();
  const milliseconds attempt_timeout(exchange.timeout_ms > 0
                                         ? static_cast<long long>(exchange.timeout_ms)
                                         : static_cast<long long>(settings.timeout_ms));

  for (int attempt = 0;; ++attempt) {
    // ---- wait for a rate-limit token, never past the deadline
    const std::optional<SteadyTime> ready = bucket.reserve(deadline - kMinAttemptTime);
    if (!ready) {
      rate_limited.inc();
      if (attempt > 0) permit.failure();  // the earlier attempts did fail
      details.retry_after = ceil_ms(bucket.next_available() - clock.now());
      return status(REOS_RETRY, describe(exchange) +
                                    ": rate limit: no token within deadline "
                                    "for connector '" +
                                    connector_id + "' (next token in " +
                                    std::to_string(details.retry_after->count()) + " ms)");
    }
    if (*ready > clock.now()) {
      rate_limited.inc();
      clock.sleep_until(*ready);
    }

    // ---- one attempt
    const milliseconds left = ceil_ms(deadline - clock.now());
    const milliseconds timeout = std::min(attempt_timeout, left);
    if (timeout < kMinAttemptTime) {
      if (attempt > 0) permit.failure();
      return status(REOS_RETRY, describe(exchange) + ": deadline exceeded before attempt " +
                                    std::to_string(attempt + 1));
    }
    if (attempt > 0) retries.inc();
    const auto real_start = std::chrono::steady_clock::now();
    AttemptResult result = transport.send(exchange, timeout);
    record_attempt(
        result,
        std::chrono::duration<double>(std::chrono::steady_clock::now() - real_start).count());
    details.attempts = attempt + 1;

    exchange.status = result.responded ? result.status : 0;
    exchange.response_headers = std::move(result.headers);
    exchange.response_body = std::move(result.body);

    // ---- classify
    std::string what;  // the outcome, for messages
    std::optional<milliseconds> server_delay;
    bool retryable = false;
    if (result.responded) {
      retryable = RetryPolicy::retryable_status(result.status, idempotent);
      if (!retryable) {
        if (RetryPolicy::unhealthy_status(result.status))
          permit.failure();
        else
          permit.success();
        return status(REOS_OK);
      }
      what = "HTTP " + std::to_string(result.status);
      if (const std::string* h = core::find_header(exchange.response_headers, "retry-after"))
        server_delay = parse_retry_after(*h, clock.wall_now());
    } else {
      what = result.error;
      if (result.failure == TransportFailure::permanent)
        return status(REOS_FAIL, describe(exchange) + ": " + what);  // permit: no verdict
      retryable = RetryPolicy::retryable_failure(result.failure, idempotent);
      if (!retryable) {
        permit.failure();
        return status(REOS_RETRY, describe(exchange) + ": " + what +
                                      " (not retried: " + exchange.method +
                                      " is not idempotent and may have reached the server)");
      }
    }

    // ---- retryable: out of attempts?
    if (attempt >= max_retries) {
      permit.failure();
      details.retry_after = server_delay;
      return status(REOS_RETRY, describe(exchange) + ": " + what + " after " +
                                    std::to_string(attempt + 1) +
                                    (attempt + 1 == 1 ? " attempt" : " attempts") +
                                    (permit.probe() ? " (circuit probe)" : " (retries exhausted)"));
    }
    // ---- wait: the larger of our backoff and the server's Retry-After, within the deadline
    milliseconds delay = retry_policy.backoff(attempt, random());
    if (server_delay && *server_delay > delay) delay = *server_delay;
    const SteadyTime now = clock.now();
    if (now + delay + kMinAttemptTime > deadline) {
      permit.failure();
      details.retry_after = delay;
      return status(REOS_RETRY, describe(exchange) + ": " + what + "; giving up after " +
                                    std::to_string(attempt + 1) + " attempt(s): the next one in " +
                                    std::to_string(delay.count()) + " ms would pass the deadline");
    }
    log::warn("connector http: retrying", {{"tenant", tenant_id},
                                           {"connector", connector_id},
                                           {"method", exchange.method},
                                           {"url", redact_url(exchange.url)},
                                           {"reason", what},
                                           {"attempt", std::to_string(attempt + 2)},
                                           {"max_attempts", std::to_string(max_retries + 1)},
                                           {"delay_ms", std::to_string(delay.count())}});
    clock.sleep_until(now + delay);
  }
}

ConnectorHttpClient::ConnectorHttpClient(ConnectorHttpSettings settings,
                                         http::MetricsRegistry& metrics, std::string tenant_id,
                                         std::string connector_id)
    : ConnectorHttpClient(settings, metrics, std::move(tenant_id), std::move(connector_id),
                          ConnectorHttpOptions{}) {}

ConnectorHttpClient::ConnectorHttpClient(ConnectorHttpSettings settings,
                                         http::MetricsRegistry& metrics, std::string tenant_id,
                                         std::string connector_id, ConnectorHttpOptions options)
    : impl_(std::make_unique<Impl>(settings, metrics, std::move(tenant_id), std::move(connector_id),
                                   std::move(options))) {}

ConnectorHttpClient::~ConnectorHttpClient() = default;

ServiceStatus ConnectorHttpClient::perform(HttpExchange& exchange,
                                           milliseconds deadline_remaining) {
  PerformDetails details;
  return impl_->perform(exchange, deadline_remaining, details);
}

ServiceStatus ConnectorHttpClient::perform(HttpExchange& exchange, milliseconds deadline_remaining,
                                           PerformDetails& details) {
  return impl_->perform(exchange, deadline_remaining, details);
}

CircuitState ConnectorHttpClient::circuit_state() const {
  return impl_->breaker.state();
}

std::chrono::steady_clock::time_point ConnectorHttpClient::circuit_open_until() const {
  return impl_->breaker.open_until();
}

}  // namespace reos::net
