#include "cli/hub_startup.hpp"

#include <chrono>
#include <iostream>

#include "blobs/photo_fetch_handler.hpp"
#include "blobs/photo_jobs.hpp"
#include "config/hub_config.hpp"
#include "core/exit_codes.hpp"
#include "db/config_sync.hpp"
#include "db/connection_pool.hpp"
#include "db/migrator.hpp"
#include "log/logger.hpp"
#include "messaging/message_send_handler.hpp"
#include "messaging/messaging_tenants.hpp"
#include "pipeline_exec/pipeline_handlers.hpp"
#include "pipeline_exec/pipeline_runtime.hpp"
#include "plugin_runtime/connector_registry.hpp"
#include "plugin_runtime/connector_startup.hpp"
#include "plugin_runtime/plugin_scan.hpp"
#include "queue/job_workers.hpp"
#include "webhooks/inbox_processor.hpp"

namespace reos::cli {

int prepare_database(const char* command, const std::string& config_path,
                     const config::HubConfig& hub, const db::Migrator& migrator,
                     db::ConnectionPool& pool) {
  try {
    auto lease = pool.acquire(std::chrono::milliseconds(hub.database.connect_timeout_ms));
    db::SchemaCheck check = migrator.check(*lease);
    if (check.status != db::SchemaCheck::Status::current) {
      log::error("refusing to start: " + check.detail, {{"config", config_path}});
      std::cerr << "reos " << command << ": " << check.detail << " (reos --config " << config_path
                << " migrate)\n";
      return kExitDatabase;
    }
    db::SyncResult sync = db::sync_tenants_from_config(*lease, hub);
    log::info("tenants loaded from config",
              {{"tenants", std::to_string(sync.tenants)},
               {"connectors", std::to_string(sync.connectors)},
               {"connectors_disabled", std::to_string(sync.connectors_disabled)}});
    return kExitOk;
  } catch (const std::exception& e) {
    log::error("refusing to start: database unavailable", {{"error", e.what()}});
    std::cerr << "reos " << command << ": " << e.what() << "\n";
    return kExitDatabase;
  }
}

PipelineStack::PipelineStack() = default;
PipelineStack::~PipelineStack() = default;

std::unique_ptr<PipelineStack> start_pipeline_stack(const config::HubConfig& hub,
                                                    db::ConnectionPool& pool,
                                                    http::MetricsRegistry& metrics) {
  auto stack = std::make_unique<PipelineStack>();
  const auto plugins = plugin_runtime::scan_plugin_dirs(hub.plugin_dirs);
  plugin_runtime::log_plugin_scan(plugins);
  stack->connectors = std::make_unique<plugin_runtime::ConnectorRegistry>();
  plugin_runtime::start_connectors(hub, plugins, pool, metrics, *stack->connectors);
  stack->pipelines =
      std::make_unique<pipeline_exec::PipelineRuntime>(hub, *stack->connectors, pool, metrics);
  auto handlers = pipeline_exec::pipeline_handlers(*stack->pipelines);
  handlers.merge(webhooks::webhook_handlers(hub, pool, stack->pipelines->queue()));
  stack->messaging = std::make_unique<messaging::MessagingTenants>(hub);
  handlers.merge(messaging::messaging_handlers({*stack->messaging, *stack->pipelines}));
  handlers.merge(blobs::photo_handlers(hub, pool, metrics));  // photos.fetch (docs/photos.md)
  // Photo fetches are a backlog of hours after a first sync: a worker of their own, so the
  // next sync's pulls do not queue behind them (job_workers.hpp).
  stack->workers =
      queue::start_job_workers(hub, handlers, &metrics, {blobs::PhotoFetchHandler::kKind});
  return stack;
}

}  // namespace reos::cli
