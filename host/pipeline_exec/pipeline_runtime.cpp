#include "pipeline_exec/pipeline_runtime.hpp"

#include "net/clock.hpp"
#include "plugin_runtime/connector_registry.hpp"
#include "queue/job_queue.hpp"
#include "queue/job_workers.hpp"

namespace reos::pipeline_exec {

PipelineRuntime::PipelineRuntime(const config::HubConfig& hub,
                                 plugin_runtime::ConnectorRegistry& connectors,
                                 db::ConnectionPool& pool, http::MetricsRegistry& metrics,
                                 PipelineRuntimeOptions options)
    : hub_(hub),
      connectors_(connectors),
      pool_(pool),
      options_(options),
      queue_(std::make_unique<queue::JobQueue>(queue::backoff_policy_from_config(hub.queue))),
      breakers_(std::make_unique<ConnectorBreakers>(
          options.breaker, options.clock ? *options.clock : net::real_clock(), metrics)) {}

PipelineRuntime::~PipelineRuntime() = default;

const pipeline::PipelineConfig* PipelineRuntime::find_pipeline(const std::string& tenant,
                                                               const std::string& pipeline) const {
  for (const auto& t : hub_.tenants) {
    if (t.id != tenant) continue;
    for (const auto& p : t.pipelines) {
      if (p.id == pipeline) return &p;
    }
  }
  return nullptr;
}

std::string PipelineRuntime::tenant_file(const std::string& tenant) const {
  for (const auto& t : hub_.tenants) {
    if (t.id == tenant) return t.file;
  }
  return "";
}

ConnectorLookup PipelineRuntime::lookup(const std::string& tenant,
                                        const std::string& connector) const {
  ConnectorLookup out;
  const config::ConnectorConfig* found = nullptr;
  for (const auto& t : hub_.tenants) {
    if (t.id != tenant) continue;
    for (const auto& c : t.connectors) {
      if (c.id == connector) found = &c;
    }
  }
  if (!found) {
    out.error = "unknown connector '" + connector + "' of tenant '" + tenant + "'";
    return out;
  }
  if (!found->enabled) {
    out.state = ConnectorLookup::State::disabled;
    return out;
  }
  const auto entry = connectors_.entry(tenant, connector);
  if (entry.instance) {
    out.state = ConnectorLookup::State::running;
    out.instance = entry.instance;
    return out;
  }
  out.error = "connector '" + connector + "' is not running" +
              (entry.error.empty() ? std::string() : ": " + entry.error);
  return out;
}

plugin_runtime::CallContext PipelineRuntime::context(const std::string& tenant,
                                                     const std::string& connector,
                                                     const std::string& correlation_id) const {
  plugin_runtime::CallContext ctx;
  ctx.tenant_id = tenant;
  ctx.connector_id = connector;
  ctx.correlation_id = correlation_id;
  ctx.deadline = options_.call_deadline;
  return ctx;
}

std::vector<ConnectorRuntimeStatus> PipelineRuntime::connector_statuses() {
  return breakers_->statuses();
}

}  // namespace reos::pipeline_exec
