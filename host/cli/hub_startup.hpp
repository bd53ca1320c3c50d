#pragma once

#include <memory>
#include <string>

namespace reos::config {
struct HubConfig;
}
namespace reos::db {
class ConnectionPool;
class Migrator;
}  // namespace reos::db
namespace reos::http {
class MetricsRegistry;
}
namespace reos::plugin_runtime {
class ConnectorRegistry;
}
namespace reos::pipeline_exec {
class PipelineRuntime;
}
namespace reos::queue {
class JobWorkers;
}
namespace reos::messaging {
class MessagingTenants;
}

namespace reos::cli {

/// Start-up shared by `reos serve` and `reos sync`: checks that the schema matches the
/// migrations built into this binary and makes the tenants and connectors tables match the
/// tenant files. Returns 0, or the exit code after printing why (`command` names the caller
/// in messages: "serve", "sync").
int prepare_database(const char* command, const std::string& config_path,
                     const config::HubConfig& hub, const db::Migrator& migrator,
                     db::ConnectionPool& pool);

/// The working part of a hub, shared by `reos serve` and `reos sync`: the plugins and
/// connector instances, the pipeline runtime and the job workers. Members are declared in
/// start order, so they are destroyed in the safe order: workers stop (running jobs finish)
/// before the runtime, and plugin instances go last.
struct PipelineStack {
  std::unique_ptr<plugin_runtime::ConnectorRegistry> connectors;
  std::unique_ptr<pipeline_exec::PipelineRuntime> pipelines;
  std::unique_ptr<messaging::MessagingTenants> messaging;  ///< message.send (docs/messaging.md)
  std::unique_ptr<queue::JobWorkers> workers;              ///< null when workers.count is 0

  PipelineStack();
  ~PipelineStack();
  PipelineStack(const PipelineStack&) = delete;
  PipelineStack& operator=(const PipelineStack&) = delete;
};

/// Loads the plugins of `hub.plugin_dirs` (refusals are logged), starts every enabled tenant
/// connector (one that cannot start is marked failing) and the job workers.
/// `pool` and `metrics` must outlive the stack.
std::unique_ptr<PipelineStack> start_pipeline_stack(const config::HubConfig& hub,
                                                    db::ConnectionPool& pool,
                                                    http::MetricsRegistry& metrics);

}  // namespace reos::cli
