#pragma once

// One circuit breaker per tenant connector, shared by every worker thread of the process, so
// a provider that keeps failing stops being called by all of them at once. Jobs whose
// connector's circuit is open are deferred (JobOutcome::defer), not attempted.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "net/circuit_breaker.hpp"
#include "plugin_runtime/plugin_instance.hpp"

namespace reos::http {
class MetricsRegistry;
}

namespace reos::pipeline_exec {

/// What the admin API shows per connector the pipeline has called.
struct ConnectorRuntimeStatus {
  std::string tenant_id;
  std::string connector_id;
  net::CircuitState circuit = net::CircuitState::closed;
  /// While open: when the next call (a probe) will be let through (wall clock).
  std::optional<std::chrono::system_clock::time_point> open_until;
  std::int64_t calls_ok = 0;
  std::int64_t calls_failed = 0;  ///< RETRY and FAIL results, crashes included
};

/// A plugin call made through a connector's breaker: either refused (the circuit is open,
/// nothing was called) or the plugin's result.
struct GuardedCall {
  bool refused = false;
  std::chrono::milliseconds retry_in{0};  ///< when refused: how long until a probe may go
  plugin_runtime::CallResult result;      ///< when not refused
};

/// Which results of a call say the PROVIDER is unwell (count towards opening the circuit).
enum class FailureRule {
  /// RETRY and FAIL (sources, notifiers, exporters: a FAIL is the provider refusing).
  retry_and_fail,
  /// RETRY, and FAIL only when the host decided it (crash, killed on deadline, overran the
  /// deadline): for per-record stages (enrich, score), where a plugin's own FAIL is "this
  /// record is bad" and quarantines the record — counting it would let a page with a few bad
  /// records open the circuit and never finish.
  retry_and_host_fail,
};

/// True when `result` counts as a failure under `rule`.
bool counts_as_failure(const plugin_runtime::CallResult& result, FailureRule rule);

/// The breakers, created on first use per (tenant, connector). Thread-safe.
/// Failures are counted per FailureRule; INVALID says the input was bad, not the provider,
/// and is never counted. State changes set the gauge
/// reos_connector_circuit_state{tenant,connector} (0 closed, 1 half-open, 2 open) — the
/// family the outbound HTTP client registers, reused.
class ConnectorBreakers {
 public:
  /// `clock` and `metrics` must outlive this object.
  ConnectorBreakers(net::CircuitBreakerSettings settings, net::Clock& clock,
                    http::MetricsRegistry& metrics);
  ~ConnectorBreakers();
  ConnectorBreakers(const ConnectorBreakers&) = delete;
  ConnectorBreakers& operator=(const ConnectorBreakers&) = delete;

  /// Runs `call` if the connector's circuit lets it through and records its outcome.
  GuardedCall call(const std::string& tenant, const std::string& connector,
                   const std::function<plugin_runtime::CallResult()>& call,
                   FailureRule rule = FailureRule::retry_and_fail);

  /// How long until the connector's circuit lets a call through: 0 when closed or
  /// half-open, the rest of the cooldown when open. Does not take a probe slot.
  std::chrono::milliseconds blocked_for(const std::string& tenant, const std::string& connector);

  /// Every breaker created so far, ordered by tenant then connector.
  std::vector<ConnectorRuntimeStatus> statuses();

 private:
  struct Entry;
  Entry& entry(const std::string& tenant, const std::string& connector);

  net::CircuitBreakerSettings settings_;
  net::Clock& clock_;
  http::MetricsRegistry& metrics_;
  std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, std::unique_ptr<Entry>> entries_;
};

}  // namespace reos::pipeline_exec
