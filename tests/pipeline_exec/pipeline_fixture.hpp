#pragma once

// A hub for the pipeline execution tests: a fresh migrated database, a scratch folder with the
// counting_* test plugins, hub.yaml and one tenant file (acme) loaded like `reos serve` loads
// them, the tenants synced, connectors started, and a PipelineRuntime. Jobs run either in a
// WorkerPool (end to end) or one at a time on the test thread (run_next/drain), so a test can
// stop between two steps.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/hub_config.hpp"
#include "db/connection_pool.hpp"
#include "http/metrics_registry.hpp"
#include "pipeline_exec/pipeline_runtime.hpp"
#include "plugin_runtime/connector_registry.hpp"
#include "plugin_runtime/test_plugins.hpp"
#include "queue/job_queue.hpp"
#include "support/test_database.hpp"

namespace reos::test {

/// The tenant file of most tests: source `src` (counting_source, `{src}` settings), enricher
/// `vendor` (log {dir}/enrich.log, fail file {dir}/vendor.fail), notifier/exporter `mailer`
/// (log {dir}/side.log, fail file {dir}/mailer.fail), and pipeline `listings` with `routes`.
std::string tenant_yaml(const std::string& source_settings, const std::string& routes_yaml,
                        const std::string& stages_yaml = "    stages: { enrich: [vendor] }\n");

class PipelineFixture {
 public:
  /// `tenant` is acme's tenant file; "{dir}" in it becomes the scratch folder. Every pipeline
  /// kind gets `max_attempts` and no backoff (a plugin's retry-after still applies).
  explicit PipelineFixture(const std::string& tenant,
                           pipeline_exec::PipelineRuntimeOptions options = {},
                           int max_attempts = 5);
  ~PipelineFixture();

  std::string file(const std::string& name) const { return dir_.file(name); }
  const std::string& conninfo() const { return conninfo_; }
  const std::string& hub_path() const { return hub_path_; }
  pipeline_exec::PipelineRuntime& runtime() { return *runtime_; }
  const queue::JobQueue& queue() const { return *queue_; }
  const config::HubConfig& hub() const { return hub_; }
  http::MetricsRegistry& metrics() { return metrics_; }

  /// Enqueues source.pull {"tenant":"acme","pipeline":…,"connector":…} as the scheduler does.
  std::int64_t enqueue_pull(const std::string& pipeline, const std::string& connector,
                            const std::string& key = "tick-1");

  /// Claims the oldest due job of `kind`, runs its handler and records the outcome as a
  /// worker would (an exception is a retryable failure). nullopt when none is due.
  std::optional<queue::JobOutcome> run_next(const std::string& kind);
  /// Runs due pipeline jobs until none is queued or running (waiting for retry-after delays),
  /// or `timeout`. Returns how many handler runs it made.
  int drain(std::chrono::milliseconds timeout = std::chrono::seconds(20));
  /// The job as stored now.
  queue::Job job(std::int64_t id) const;

  void exec(const std::string& sql) const;
  std::int64_t scalar(const std::string& sql) const;
  std::string text(const std::string& sql) const;

  /// The lines of a scratch file ({} when absent).
  std::vector<std::string> lines(const std::string& name) const;
  void write(const std::string& name, const std::string& text) const;
  void remove(const std::string& name) const;

 private:
  ScratchDir dir_;
  TestDatabase db_;
  std::string conninfo_;
  std::string hub_path_;
  config::HubConfig hub_;
  std::unique_ptr<db::ConnectionPool> pool_;
  http::MetricsRegistry metrics_;
  std::unique_ptr<plugin_runtime::ConnectorRegistry> registry_;
  std::unique_ptr<queue::JobQueue> queue_;
  std::unique_ptr<pipeline_exec::PipelineRuntime> runtime_;
  db::ConnectionPtr conn_;
};

/// The hub.yaml the fixture and the worker processes use.
std::string pipeline_hub_yaml(int max_attempts);

}  // namespace reos::test
