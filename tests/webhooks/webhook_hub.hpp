#pragma once

// An in-process hub for the webhook tests: a fresh migrated database, a scratch folder with
// the real standard_webhooks plugin and the counting_notifier test plugin, hub.yaml and the
// tenant file loaded as `reos serve` loads them, connectors started, the WebhookService on a
// real HttpServer (127.0.0.1, ephemeral port), and — when asked — the job workers with the
// pipeline and webhook.process handlers. Tenant `acme`:
//   hooks      standard_webhooks, secret kSecretA; source of pipeline `inbound` (→ mailer)
//   rotating   standard_webhooks, secrets kSecretA (old) and kSecretB (new); in no pipeline
//   scripted   scripted_webhook.c: the body picks the plugin's outcome (contract tests)
//   mailer     counting_notifier: one line per notification in <dir>/side.log

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "config/hub_config.hpp"
#include "db/connection_pool.hpp"
#include "http/metrics_registry.hpp"
#include "plugin_runtime/test_plugins.hpp"
#include "queue/job.hpp"
#include "support/http_client.hpp"
#include "support/test_database.hpp"

namespace reos::http {
class HttpServer;
class Router;
}  // namespace reos::http
namespace reos::plugin_runtime {
class ConnectorRegistry;
}
namespace reos::pipeline_exec {
class PipelineRuntime;
}
namespace reos::queue {
class JobQueue;
class JobWorkers;
}  // namespace reos::queue
namespace reos::webhooks {
class WebhookService;
}

namespace reos::test {

inline constexpr const char* kSecretA = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";  // the vector's
inline constexpr const char* kSecretB = "whsec_c2Vjb25kLXNlY3JldC1mb3Itcm90YXRpb24tdGVzdHM=";
inline constexpr const char* kPublicUrl = "https://hooks.example.test/base";
inline constexpr std::size_t kWebhookMaxBody = 4096;

/// hub.yaml and tenants/acme.yaml for a hub in `dir` ("{dir}" placeholders resolved).
void write_webhook_config(const ScratchDir& dir, int workers);

class WebhookHub {
 public:
  WebhookHub();
  ~WebhookHub();

  int port() const;
  const std::string& conninfo() const { return conninfo_; }
  const ScratchDir& dir() const { return dir_; }
  http::MetricsRegistry& metrics() { return metrics_; }

  /// Starts hub.workers.count job workers (pipeline + webhook.process handlers).
  void start_workers();
  /// Runs webhook.process jobs on the test thread until none is due; returns how many ran.
  int run_webhook_jobs();
  /// Runs the webhook.process handler for inbox request `request_row` as a job would (a
  /// redelivered or concurrently leased job), without touching the jobs table.
  queue::JobOutcome process_request(std::int64_t request_row) const;

  /// POST /webhooks/<tenant>/<connector><query> with the Standard Webhooks headers.
  ClientResponse post(const std::string& path, const std::string& body,
                      const std::vector<std::string>& headers) const;

  std::int64_t scalar(const std::string& sql) const;
  std::string text(const std::string& sql) const;
  std::vector<std::string> side_effects() const;  ///< lines of side.log

 private:
  ScratchDir dir_;
  TestDatabase db_;
  std::string conninfo_;
  config::HubConfig hub_;
  http::MetricsRegistry metrics_;
  std::unique_ptr<db::ConnectionPool> pool_;
  std::unique_ptr<plugin_runtime::ConnectorRegistry> registry_;
  std::unique_ptr<queue::JobQueue> queue_;
  std::unique_ptr<pipeline_exec::PipelineRuntime> runtime_;
  std::unique_ptr<webhooks::WebhookService> service_;
  std::unique_ptr<http::Router> router_;
  std::unique_ptr<http::HttpServer> server_;
  std::unique_ptr<queue::JobWorkers> workers_;
};

}  // namespace reos::test
