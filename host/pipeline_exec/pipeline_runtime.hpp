#pragma once

// What the pipeline job handlers share in one process: the hub's tenants and pipelines, the
// running connector instances, the database pool, the queue (for enqueuing follow-up jobs)
// and one circuit breaker per tenant connector. `reos serve` builds one and hands it to
// pipeline_handlers() (pipeline_handlers.hpp).

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/hub_config.hpp"
#include "net/circuit_breaker.hpp"
#include "pipeline_exec/connector_breakers.hpp"
#include "plugin_runtime/plugin_instance.hpp"

namespace reos::db {
class ConnectionPool;
}
namespace reos::http {
class MetricsRegistry;
}
namespace reos::plugin_runtime {
class ConnectorRegistry;
}
namespace reos::queue {
class JobQueue;
}

namespace reos::pipeline_exec {

/// Tunables; the defaults are what `reos serve` uses.
struct PipelineRuntimeOptions {
  /// Per connector: 5 failed calls within 60 s open the circuit for 30 s.
  net::CircuitBreakerSettings breaker{};
  net::Clock* clock = nullptr;  ///< nullptr = net::real_clock(); tests inject one
  std::chrono::milliseconds call_deadline{30000};  ///< per plugin call
  /// How long a job waits before retrying when its connector is enabled but not running
  /// (its plugin is missing or its settings are invalid: fixed by an operator, not by time).
  std::chrono::milliseconds not_running_retry{60000};
  /// How long a source.pull job whose pipeline stores pages in the pull (page_store.hpp) goes
  /// on with the next page itself before handing on to a new source.pull job (its lease is
  /// extended meanwhile; each page is still committed with its cursor on its own).
  std::chrono::milliseconds stored_pull_budget{30000};
  /// Tests only: called at named points of the handlers ("source.pull:before-commit",
  /// "sink:after-provider-call"); throwing from it simulates the worker dying right there
  /// (nothing after the point happens in that attempt).
  std::function<void(std::string_view point)> fault_injection;
};

/// A connector as the handlers see it.
struct ConnectorLookup {
  enum class State {
    running,      ///< `instance` is set
    disabled,     ///< switched off in config: the step is skipped
    unavailable,  ///< enabled but not running (or unknown): `error` says why
  };
  State state = State::unavailable;
  std::shared_ptr<plugin_runtime::PluginInstance> instance;
  std::string error;
};

/// Thread-safe. `connectors`, `pool` and `metrics` must outlive the runtime; keeps its own
/// copy of `hub`.
class PipelineRuntime {
 public:
  PipelineRuntime(const config::HubConfig& hub, plugin_runtime::ConnectorRegistry& connectors,
                  db::ConnectionPool& pool, http::MetricsRegistry& metrics,
                  PipelineRuntimeOptions options = {});
  ~PipelineRuntime();
  PipelineRuntime(const PipelineRuntime&) = delete;
  PipelineRuntime& operator=(const PipelineRuntime&) = delete;

  /// The pipeline `pipeline` of `tenant`, or nullptr.
  const pipeline::PipelineConfig* find_pipeline(const std::string& tenant,
                                                const std::string& pipeline) const;
  /// The file `tenant` was loaded from ("" when unknown): relative field maps resolve from it.
  std::string tenant_file(const std::string& tenant) const;
  /// Whether (tenant, connector) can be called now, is switched off, or is unavailable.
  ConnectorLookup lookup(const std::string& tenant, const std::string& connector) const;

  /// A call context for a plugin call (deadline from the options).
  plugin_runtime::CallContext context(const std::string& tenant, const std::string& connector,
                                      const std::string& correlation_id) const;

  ConnectorBreakers& breakers() { return *breakers_; }
  db::ConnectionPool& pool() { return pool_; }
  /// The queue follow-up jobs are enqueued with (per-kind max_attempts from hub.yaml).
  const queue::JobQueue& queue() const { return *queue_; }
  const PipelineRuntimeOptions& options() const { return options_; }
  /// Calls options().fault_injection at `point` when set.
  void fault_point(std::string_view point) const {
    if (options_.fault_injection) options_.fault_injection(point);
  }

  /// For the admin API: every connector the pipeline has called in this process, with its
  /// circuit state, when an open circuit closes again, and call counters.
  std::vector<ConnectorRuntimeStatus> connector_statuses();

 private:
  config::HubConfig hub_;
  plugin_runtime::ConnectorRegistry& connectors_;
  db::ConnectionPool& pool_;
  PipelineRuntimeOptions options_;
  std::unique_ptr<queue::JobQueue> queue_;
  std::unique_ptr<ConnectorBreakers> breakers_;
};

}  // namespace reos::pipeline_exec
