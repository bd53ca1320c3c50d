// pipeline_test_worker HUB_YAML — the pipeline part of `reos serve` as a process of its own,
// for the multi-process tests: loads hub.yaml (REOS_* overrides from the environment), starts
// the tenants' connectors, builds the PipelineRuntime and runs the job workers exactly as
// serve wires them, until SIGTERM or SIGINT. Exit 0 after a graceful stop, 1 on an error
// (message on stderr), 2 on bad usage.

#include <signal.h>
#include <unistd.h>

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "config/hub_config.hpp"
#include "db/connection_pool.hpp"
#include "http/metrics_registry.hpp"
#include "log/logger.hpp"
#include "pipeline_exec/pipeline_handlers.hpp"
#include "pipeline_exec/pipeline_runtime.hpp"
#include "plugin_runtime/connector_registry.hpp"
#include "plugin_runtime/connector_startup.hpp"
#include "plugin_runtime/plugin_scan.hpp"
#include "queue/job_workers.hpp"

extern char** environ;

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: pipeline_test_worker HUB_YAML\n";
    return 2;
  }
  try {
    std::vector<std::string> env;
    for (char** e = environ; *e; ++e) env.emplace_back(*e);
    const reos::config::HubConfig hub = reos::config::load_hub_config(argv[1], env);
    reos::log::init(hub.log.level, hub.log.format);
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    reos::db::ConnectionPool pool(hub.database.conninfo(), hub.database.pool_size);
    reos::http::MetricsRegistry metrics;
    auto connectors = std::make_unique<reos::plugin_runtime::ConnectorRegistry>();
    const auto plugins = reos::plugin_runtime::scan_plugin_dirs(hub.plugin_dirs);
    reos::plugin_runtime::start_connectors(hub, plugins, pool, metrics, *connectors);

    // What serve_command.cpp does:
    auto pipelines =
        std::make_unique<reos::pipeline_exec::PipelineRuntime>(hub, *connectors, pool, metrics);
    auto workers = reos::queue::start_job_workers(
        hub, reos::pipeline_exec::pipeline_handlers(*pipelines), &metrics);

    int sig = 0;
    sigwait(&signals, &sig);
    const auto stats = workers ? workers->pool().stats() : reos::queue::WorkerPoolStats{};
    workers.reset();  // graceful: running handlers finish
    pipelines.reset();
    connectors.reset();
    pool.close();
    std::cerr << "pipeline_test_worker " << ::getpid() << ": " << stats.succeeded
              << " jobs succeeded\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "pipeline_test_worker: " << e.what() << "\n";
    return 1;
  }
}
