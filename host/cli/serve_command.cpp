#include <signal.h>

#include <chrono>
#include <iostream>
#include <memory>
#include <pqxx/pqxx>

#include "admin_api/admin_api.hpp"
#include "api/api_context.hpp"
#include "cli/command_line.hpp"
#include "cli/hub_startup.hpp"
#include "cli/rest_api_routes.hpp"
#include "config/hub_config.hpp"
#include "core/build_info.hpp"
#include "core/exit_codes.hpp"
#include "db/config_sync.hpp"
#include "db/connection_pool.hpp"
#include "db/migrator.hpp"
#include "http/health_routes.hpp"
#include "http/http_server.hpp"
#include "http/metrics_registry.hpp"
#include "http/router.hpp"
#include "log/logger.hpp"
#include "pipeline_exec/pipeline_handlers.hpp"
#include "pipeline_exec/pipeline_runtime.hpp"
#include "plugin_runtime/connector_registry.hpp"
#include "plugin_runtime/connector_startup.hpp"
#include "plugin_runtime/plugin_scan.hpp"
#include "queue/job_workers.hpp"
#include "scheduler/scheduler.hpp"
#include "webhooks/webhook_service.hpp"

namespace reos::cli {
namespace {

const char* kUsage = R"(usage: reos serve

Runs the hub until SIGTERM or SIGINT: the HTTP API with /healthz, /readyz and /metrics,
webhooks and workers. Loads the plugins in plugin_dirs and starts every enabled connector;
a refused plugin or a connector that cannot start is logged and marked 'failing' in the
connectors table, and the hub serves the rest. Refuses to start (exit 4) when the database is unreachable or its
schema is behind the migrations built into this binary (run `reos migrate`).
On SIGTERM/SIGINT it stops accepting connections, lets in-flight requests finish for up to
http.shutdown_grace_ms, closes the database pool and exits 0.
)";

// Signals are blocked in every thread (the mask is inherited by threads created later) and
// taken synchronously by the main thread with sigwait, so no handler runs at a random point.
sigset_t shutdown_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}

http::HttpServerSettings http_settings(const config::HttpConfig& c) {
  http::HttpServerSettings s;
  s.bind = c.bind;
  s.port = c.port;
  s.threads = c.threads;
  s.max_body_bytes = c.max_body_bytes;
  s.shutdown_grace_ms = c.shutdown_grace_ms;
  s.connection_timeout_s = c.connection_timeout_s;
  return s;
}

void add_pool_metrics(http::MetricsRegistry& metrics, db::ConnectionPool& pool) {
  const char* name = "reos_db_pool_connections";
  const char* help = "Database pool connections by state";
  metrics.add_gauge_callback(name, help, {{"state", "in_use"}},
                             [&pool] { return static_cast<double>(pool.stats().in_use); });
  metrics.add_gauge_callback(name, help, {{"state", "idle"}},
                             [&pool] { return static_cast<double>(pool.stats().idle); });
  metrics.add_gauge_callback("reos_db_pool_size", "Configured database pool size", {},
                             [&pool] { return static_cast<double>(pool.stats().size); });
}

// The admin API shows each connector's circuit; the pipeline runtime owns the breakers.
admin_api::ConnectorCircuitSource circuits_of(pipeline_exec::PipelineRuntime& runtime) {
  return [&runtime] {
    std::vector<admin_api::ConnectorCircuit> circuits;
    for (const pipeline_exec::ConnectorRuntimeStatus& s : runtime.connector_statuses()) {
      admin_api::ConnectorCircuit c;
      c.tenant_id = s.tenant_id;
      c.connector_id = s.connector_id;
      c.state = net::to_string(s.circuit);
      c.open_until = s.open_until;
      c.counters = {{"calls_ok", s.calls_ok}, {"calls_failed", s.calls_failed}};
      circuits.push_back(std::move(c));
    }
    return circuits;
  };
}

}  // namespace

int serve_command(const Invocation& inv) {
  if (wants_help(inv.args)) {
    std::cout << kUsage;
    return kExitOk;
  }
  if (!inv.args.empty()) {
    std::cerr << "reos serve: unexpected argument '" << inv.args.front() << "'\n\n" << kUsage;
    return kExitUsage;
  }
  const auto started = std::chrono::steady_clock::now();
  config::HubConfig hub;
  if (!load_config_or_report(inv, hub)) return kExitConfig;
  log::init(hub.log.level, hub.log.format);

  sigset_t signals = shutdown_signals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  db::ConnectionPool pool(hub.database.conninfo(), hub.database.pool_size);
  const db::Migrator migrator(db::embedded_migration_set());
  if (int rc = prepare_database("serve", inv.config_path, hub, migrator, pool)) return rc;

  http::MetricsRegistry metrics;
  add_pool_metrics(metrics, pool);

  // Plugins, connectors and the record flow: scheduled source pulls → batches →
  // enrich/score/route → sinks, every hop a job in PostgreSQL (docs/pipeline-execution.md).
  // A refused plugin or a connector that cannot start is logged and marked failing; the hub
  // serves the rest. Workers and the scheduler are safe in several `reos serve` processes.
  auto stack = start_pipeline_stack(hub, pool, metrics);
  const queue::JobQueue job_queue(queue::backoff_policy_from_config(hub.queue));
  std::unique_ptr<scheduler::Scheduler> schedules;
  try {
    schedules = scheduler::start_scheduler(hub, job_queue, &metrics);
  } catch (const std::exception& e) {
    log::error("refusing to start: cannot start the scheduler", {{"error", e.what()}});
    std::cerr << "reos serve: " << e.what() << "\n";
    return kExitDatabase;
  }
  http::Router router;
  http::add_health_routes(router, metrics, [&pool, &migrator]() -> http::ReadinessResult {
    try {
      auto lease = pool.acquire(std::chrono::milliseconds(2000));
      db::SchemaCheck check = migrator.check(*lease);
      if (check.status != db::SchemaCheck::Status::current) return {false, check.detail};
      return {true, ""};
    } catch (const std::exception& e) {
      return {false, std::string("database unreachable: ") + e.what()};
    }
  });

  admin_api::add_admin_routes(router, {&pool, hub.admin.token, circuits_of(*stack->pipelines)});

  // REST API v1 (docs/api.md): authentication, tenant admin and every resource module.
  const std::unique_ptr<api::ApiContext> rest_api = make_api_context(hub, pool, job_queue);
  add_rest_api_routes(router, *rest_api, {hub.admin.token, &hub});

  // Inbound webhooks: verify with the connector's plugin, commit to the inbox, then 2xx
  // (docs/webhooks.md). Declared before the server, so a handler that outlives the grace
  // period (the server's destructor waits for it) still has its inbox.
  auto webhook_service =
      std::make_unique<webhooks::WebhookService>(hub, *stack->connectors, job_queue, metrics);
  webhook_service->add_routes(router);

  http::HttpServer server(http_settings(hub.http), router, metrics);
  try {
    server.start();
  } catch (const std::exception& e) {
    log::error("cannot start HTTP server", {{"error", e.what()}});
    std::cerr << "reos serve: " << e.what() << "\n";
    return kExitConfig;
  }
  const double startup_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  log::info("reos serving",
            {{"version", build_info().version},
             {"bind", hub.http.bind},
             {"port", std::to_string(server.port())},
             {"tenants", std::to_string(hub.tenants.size())},
             {"connectors_running", std::to_string(stack->connectors->running_count())},
             {"connectors_failing", std::to_string(stack->connectors->failing_count())},
             {"startup_ms", std::to_string(startup_ms)}});

  int sig = 0;
  sigwait(&signals, &sig);
  log::info("shutting down", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"},
                              {"grace_ms", std::to_string(hub.http.shutdown_grace_ms)}});
  server.stop();
  schedules.reset();  // no new source pulls
  stack.reset();      // workers finish running jobs, then plugin instances are destroyed
  pool.close();
  log::info("stopped");
  return kExitOk;
}

}  // namespace reos::cli
