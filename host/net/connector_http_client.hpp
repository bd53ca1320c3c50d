#pragma once

// The host's outbound HTTP client, one per tenant connector: what a plugin's host->http call
// runs through. It adds to a bare libcurl request the connector's timeouts, a token-bucket
// rate limit, retries with exponential backoff and full jitter (honouring Retry-After), a
// circuit breaker and per-connector metrics. Policy: docs/http-client.md.

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "http/metrics_registry.hpp"
#include "net/circuit_breaker.hpp"
#include "net/clock.hpp"
#include "plugin_runtime/host_services.hpp"

namespace reos::net {

/// A connector's HTTP limits (from its connector definition / tenant config).
struct ConnectorHttpSettings {
  int timeout_ms = 10000;           ///< per attempt, unless the request sets its own timeout_ms
  double rate_per_s = 10;           ///< token refill rate; <= 0 disables the rate limit
  int burst = 10;                   ///< bucket size: requests that may go back to back
  int max_retries = 3;              ///< retries after the first attempt
  int backoff_base_ms = 200;        ///< backoff ceiling for the first retry
  int backoff_cap_ms = 10000;       ///< largest backoff ceiling
  int breaker_failures = 5;         ///< failures within the window that open the circuit
  int breaker_window_ms = 60000;    ///< sliding window for counting failures
  int breaker_cooldown_ms = 30000;  ///< time open before one probe request is let through
};

/// Seams for tests and special deployments; the defaults are what production uses.
struct ConnectorHttpOptions {
  Clock* clock = nullptr;  ///< null: real_clock(); else must outlive the client
  /// Uniform random number in [0, 1) for backoff jitter; empty: a per-thread Mersenne
  /// twister. Called concurrently from the threads that call perform().
  std::function<double()> random;
  std::size_t max_response_bytes = std::size_t{64} << 20;  ///< larger bodies → REOS_FAIL
  std::string user_agent = "reos-hub";                     ///< unless the request sets User-Agent
};

/// What perform() did, for callers that need more than the status (the host's http service
/// passes retry_after to set_retry_after).
struct PerformDetails {
  int attempts = 0;  ///< HTTP attempts made (0 when refused by breaker, rate limit, checks)
  /// With REOS_RETRY: how long the caller should wait before trying again (Retry-After of
  /// the last response, the computed backoff, the rest of the cooldown, or the wait for a
  /// token), when known.
  std::optional<std::chrono::milliseconds> retry_after;
};

class ConnectorHttpClient {
 public:
  /// Registers (or re-uses) the reos_connector_* metric families in `metrics`, which must
  /// outlive the client. Several clients may share tenant and connector ids (e.g. across a
  /// config reload): they then share the metric series.
  ConnectorHttpClient(ConnectorHttpSettings settings, http::MetricsRegistry& metrics,
                      std::string tenant_id, std::string connector_id);
  ConnectorHttpClient(ConnectorHttpSettings settings, http::MetricsRegistry& metrics,
                      std::string tenant_id, std::string connector_id,
                      ConnectorHttpOptions options);
  ~ConnectorHttpClient();
  ConnectorHttpClient(const ConnectorHttpClient&) = delete;
  ConnectorHttpClient& operator=(const ConnectorHttpClient&) = delete;

  /// Thread-safe. Fills the response half of `exchange` (from the last attempt; status 0
  /// when no response arrived). Returns {REOS_OK} when a response arrived that is not to be
  /// retried (any HTTP status: the plugin interprets it), {REOS_RETRY, "..."} when the
  /// circuit is open, no rate-limit token comes in time, or retries/deadline ran out on
  /// 429/5xx/transport errors, {REOS_FAIL, "..."} for permanent errors (bad URL, unsupported
  /// scheme, invalid method or header, TLS verification failure, body over the size limit).
  /// Blocks for at most about `deadline_remaining` (waits for tokens and backoff never
  /// pass it; each attempt's timeout is cut to it).
  plugin_runtime::ServiceStatus perform(plugin_runtime::HttpExchange& exchange,
                                        std::chrono::milliseconds deadline_remaining);
  /// The same, also reporting attempts and the suggested retry delay.
  plugin_runtime::ServiceStatus perform(plugin_runtime::HttpExchange& exchange,
                                        std::chrono::milliseconds deadline_remaining,
                                        PerformDetails& details);

  /// The connector's circuit state (thread-safe).
  CircuitState circuit_state() const;
  /// End of the current (or last) open period of the circuit, on the client's clock.
  std::chrono::steady_clock::time_point circuit_open_until() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace reos::net
