#include "pipeline_exec/connector_breakers.hpp"

#include <atomic>

#include "http/metrics_registry.hpp"
#include "log/logger.hpp"
#include "reos/plugin.h"

namespace reos::pipeline_exec {

using std::chrono::milliseconds;

struct ConnectorBreakers::Entry {
  Entry(const std::string& tenant, const std::string& connector,
        net::CircuitBreakerSettings settings, net::Clock& clock, http::Gauge& gauge,
        http::Counter& ok, http::Counter& failed)
      : tenant_id(tenant),
        connector_id(connector),
        gauge(gauge),
        ok_total(ok),
        failed_total(failed),
        breaker(settings, clock, [this](net::CircuitState from, net::CircuitState to) {
          this->gauge.set(static_cast<double>(to));
          log::warn("pipeline: connector circuit changed", {{"tenant", tenant_id},
                                                            {"connector", connector_id},
                                                            {"from", net::to_string(from)},
                                                            {"to", net::to_string(to)}});
        }) {}

  const std::string tenant_id;
  const std::string connector_id;
  http::Gauge& gauge;
  http::Counter& ok_total;
  http::Counter& failed_total;
  std::atomic<std::int64_t> calls_ok{0};
  std::atomic<std::int64_t> calls_failed{0};
  net::CircuitBreaker breaker;  // last: its listener uses the fields above
};

bool counts_as_failure(const plugin_runtime::CallResult& result, FailureRule rule) {
  if (result.status == REOS_RETRY) return true;
  if (result.status != REOS_FAIL) return false;
  if (rule == FailureRule::retry_and_fail) return true;
  // The runtime's own verdicts (in_process_instance.cpp, out_of_process_instance.cpp).
  const std::string& m = result.message;
  return m.rfind("plugin process crashed", 0) == 0 || m.rfind("deadline exceeded", 0) == 0;
}

ConnectorBreakers::ConnectorBreakers(net::CircuitBreakerSettings settings, net::Clock& clock,
                                     http::MetricsRegistry& metrics)
    : settings_(settings), clock_(clock), metrics_(metrics) {}

ConnectorBreakers::~ConnectorBreakers() = default;

ConnectorBreakers::Entry& ConnectorBreakers::entry(const std::string& tenant,
                                                   const std::string& connector) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto& slot = entries_[{tenant, connector}];
  if (!slot) {
    // Same name, help and labels as host/net's ConnectorHttpClient: one family.
    auto& gauge = metrics_
                      .gauge("reos_connector_circuit_state",
                             "Circuit breaker state per connector: 0 closed, 1 half-open, "
                             "2 open.",
                             {"tenant", "connector"})
                      .with({tenant, connector});
    auto& calls = metrics_.counter("reos_pipeline_connector_calls_total",
                                   "Plugin calls made by the pipeline, by outcome (ok, failed: "
                                   "RETRY, FAIL or a crash; invalid input is not counted).",
                                   {"tenant", "connector", "outcome"});
    slot = std::make_unique<Entry>(tenant, connector, settings_, clock_, gauge,
                                   calls.with({tenant, connector, "ok"}),
                                   calls.with({tenant, connector, "failed"}));
  }
  return *slot;
}

GuardedCall ConnectorBreakers::call(const std::string& tenant, const std::string& connector,
                                    const std::function<plugin_runtime::CallResult()>& call,
                                    FailureRule rule) {
  Entry& e = entry(tenant, connector);
  net::CircuitBreaker::Permit permit = e.breaker.acquire();
  GuardedCall out;
  if (!permit.allowed()) {
    out.refused = true;
    out.retry_in =
        std::max(milliseconds(1),
                 std::chrono::duration_cast<milliseconds>(permit.retry_at() - clock_.now()));
    return out;
  }
  out.result = call();
  if (out.result.status == REOS_OK) {
    permit.success();
    ++e.calls_ok;
    e.ok_total.inc();
  } else if (counts_as_failure(out.result, rule)) {
    permit.failure();
    ++e.calls_failed;
    e.failed_total.inc();
  } else {
    // INVALID, or a stage's verdict on one record: says nothing about the provider's health;
    // the call got an answer, so it is a success for the circuit (frees a half-open probe).
    permit.success();
  }
  return out;
}

milliseconds ConnectorBreakers::blocked_for(const std::string& tenant,
                                            const std::string& connector) {
  Entry& e = entry(tenant, connector);
  if (e.breaker.state() != net::CircuitState::open) return milliseconds(0);
  return std::max(milliseconds(1),
                  std::chrono::duration_cast<milliseconds>(e.breaker.open_until() - clock_.now()));
}

std::vector<ConnectorRuntimeStatus> ConnectorBreakers::statuses() {
  std::vector<Entry*> all;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& [key, e] : entries_) all.push_back(e.get());
  }
  std::vector<ConnectorRuntimeStatus> out;
  for (Entry* e : all) {
    ConnectorRuntimeStatus s;
    s.tenant_id = e->tenant_id;
    s.connector_id = e->connector_id;
    s.circuit = e->breaker.state();
    if (s.circuit == net::CircuitState::open) {
      s.open_until =
          clock_.wall_now() + std::chrono::duration_cast<std::chrono::system_clock::duration>(
                                  e->breaker.open_until() - clock_.now());
    }
    s.calls_ok = e->calls_ok.load();
    s.calls_failed = e->calls_failed.load();
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace reos::pipeline_exec
