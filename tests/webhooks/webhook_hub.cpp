#include "webhook_hub.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <pqxx/pqxx>
#include <sstream>

#include "db/config_sync.hpp"
#include "http/http_server.hpp"
#include "http/router.hpp"
#include "pipeline_exec/pipeline_handlers.hpp"
#include "pipeline_exec/pipeline_runtime.hpp"
#include "plugin_runtime/connector_registry.hpp"
#include "plugin_runtime/connector_startup.hpp"
#include "plugin_runtime/plugin_scan.hpp"
#include "queue/job_queue.hpp"
#include "queue/job_workers.hpp"
#include "webhooks/inbox_batch_write.hpp"
#include "webhooks/inbox_processor.hpp"
#include "webhooks/webhook_service.hpp"

namespace reos::test {

void write_webhook_config(const ScratchDir& dir, int workers) {
  dir.write("secret-a", kSecretA);
  dir.write("secret-b", kSecretB);
  std::filesystem::create_directories(dir.file("plugins"));
  std::filesystem::copy_file(std::string(REOS_PLUGIN_DIR) + "/libreos_standard_webhooks.so",
                             dir.file("plugins/libreos_standard_webhooks.so"),
                             std::filesystem::copy_options::overwrite_existing);
  dir.add_plugin("counting_notifier", "plugins/libreos_counting_notifier.so");
  dir.add_plugin("scripted_webhook", "plugins/libreos_scripted_webhook.so");
  std::ostringstream hub;
  hub << "plugin_dirs: [plugins]\ntenants_dir: tenants\nblobs: { dir: blobs }\n"
      << "http: { bind: 127.0.0.1, port: 0, threads: 16, public_url: \"" << kPublicUrl
      << "\", webhook_max_body_bytes: " << kWebhookMaxBody << " }\n"
      << "workers: { count: " << workers << " }\n"
      << "queue:\n  lease_ms: 5000\n  batch_size: 8\n"
      << "  kinds:\n"
      << "    webhook.process: { max_attempts: 5, backoff_base_ms: 0, backoff_cap_ms: 0 }\n"
      << "    pipeline.process: { max_attempts: 5, backoff_base_ms: 0, backoff_cap_ms: 0 }\n"
      << "    sink.notify: { max_attempts: 5, backoff_base_ms: 0, backoff_cap_ms: 0 }\n"
      << "log: { level: warn, format: json }\n";
  dir.write("hub.yaml", hub.str());
  dir.write("tenants/acme.yaml",
            "id: acme\nname: Acme\nconnectors:\n"
            "  - id: hooks\n    plugin: standard_webhooks\n"
            "    settings: { secrets: [\"file:" +
                dir.file("secret-a") +
                "\"] }\n"
                "  - id: rotating\n    plugin: standard_webhooks\n"
                "    settings: { secrets: [\"file:" +
                dir.file("secret-a") + "\", \"file:" + dir.file("secret-b") +
                "\"], tolerance_s: 300 }\n"
                "  - id: scripted\n    plugin: scripted_webhook\n    settings: {}\n"
                "  - id: mailer\n    plugin: counting_notifier\n"
                "    settings: { log: \"" +
                dir.file("side.log") +
                "\" }\n"
                "pipelines:\n"
                "  - id: inbound\n    record_type: event\n"
                "    sources: [{ connector: hooks, schedule: \"every 4h\" }]\n"
                "    routes:\n"
                "      - id: all\n        to: [{ notifier: mailer }]\n");
}

WebhookHub::WebhookHub() : conninfo_(db_.conninfo()) {
  migrate_to_current(conninfo_);
  write_webhook_config(dir_, 2);
  hub_ = config::load_hub_config(dir_.file("hub.yaml"), {"REOS_DATABASE__URL=" + conninfo_});
  {
    auto conn = db::connect(conninfo_);
    db::sync_tenants_from_config(*conn, hub_);
  }
  pool_ = std::make_unique<db::ConnectionPool>(conninfo_, 8);
  registry_ = std::make_unique<plugin_runtime::ConnectorRegistry>();
  plugin_runtime::start_connectors(hub_, plugin_runtime::scan_plugin_dirs(hub_.plugin_dirs), *pool_,
                                   metrics_, *registry_);
  for (const auto& e : registry_->entries()) {
    EXPECT_TRUE(e.instance) << e.connector_id << ": " << e.error;
  }
  queue_ = std::make_unique<queue::JobQueue>(queue::backoff_policy_from_config(hub_.queue));
  runtime_ = std::make_unique<pipeline_exec::PipelineRuntime>(hub_, *registry_, *pool_, metrics_);
  service_ = std::make_unique<webhooks::WebhookService>(hub_, *registry_, *queue_, metrics_);
  router_ = std::make_unique<http::Router>();
  service_->add_routes(*router_);
  http::HttpServerSettings settings;
  settings.port = 0;
  settings.threads = 16;
  server_ = std::make_unique<http::HttpServer>(settings, *router_, metrics_);
  server_->start();
}

WebhookHub::~WebhookHub() {
  server_->stop();
  workers_.reset();
  server_.reset();
  service_.reset();
  runtime_.reset();
  registry_.reset();
  pool_->close();
}

int WebhookHub::port() const {
  return server_->port();
}

void WebhookHub::start_workers() {
  auto handlers = pipeline_exec::pipeline_handlers(*runtime_);
  handlers.merge(webhooks::webhook_handlers(hub_, *pool_, runtime_->queue()));
  workers_ = queue::start_job_workers(hub_, handlers, &metrics_);
}

int WebhookHub::run_webhook_jobs() {
  webhooks::InboxProcessor processor(hub_, *pool_, *queue_);
  auto conn = db::connect(conninfo_);
  int ran = 0;
  for (;;) {
    auto jobs = queue_->claim(*conn, "test", {webhooks::kWebhookProcess}, 1,
                              std::chrono::milliseconds(30000));
    if (jobs.empty()) return ran;
    const auto outcome = processor.process(jobs.front());
    EXPECT_EQ(outcome.kind, queue::JobOutcome::Kind::ok) << outcome.message;
    queue_->complete(*conn, jobs.front().id, "test");
    ++ran;
  }
}

queue::JobOutcome WebhookHub::process_request(std::int64_t request_row) const {
  webhooks::InboxProcessor processor(hub_, *pool_, *queue_);
  queue::Job job;
  job.tenant_id = "acme";
  job.kind = webhooks::kWebhookProcess;
  job.payload_json = "{\"request_ids\":[" + std::to_string(request_row) + "]}";
  return processor.process(job);
}

ClientResponse WebhookHub::post(const std::string& path, const std::string& body,
                                const std::vector<std::string>& headers) const {
  ClientRequest req;
  req.method = "POST";
  req.url = url(port(), path);
  req.body = body;
  req.headers = headers;
  return perform(req);
}

std::int64_t WebhookHub::scalar(const std::string& sql) const {
  auto conn = db::connect(conninfo_);
  pqxx::work tx(*conn);
  return tx.exec1(sql)[0].as<std::int64_t>();
}

std::string WebhookHub::text(const std::string& sql) const {
  auto conn = db::connect(conninfo_);
  pqxx::work tx(*conn);
  const auto row = tx.exec1(sql);
  return row[0].is_null() ? "" : row[0].as<std::string>();
}

std::vector<std::string> WebhookHub::side_effects() const {
  std::vector<std::string> lines;
  std::ifstream in(dir_.file("side.log"));
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace reos::test
