#pragma once

// What `reos serve` wires for inbound webhooks: the inbox writer (group commit) and the
// POST /webhooks/{tenant}/{connector} route, configured from hub.yaml.
//
//   auto webhooks = std::make_unique<webhooks::WebhookService>(hub, *connectors, queue, metrics);
//   webhooks->add_routes(router);
//   …serve…  server.stop();  webhooks.reset();   // before the registry and the metrics
//
// The webhook.process job handler is separate (inbox_processor.hpp): it runs in the workers.

#include <memory>

namespace reos::config {
struct HubConfig;
}
namespace reos::http {
class MetricsRegistry;
class Router;
}  // namespace reos::http
namespace reos::plugin_runtime {
class ConnectorRegistry;
}
namespace reos::queue {
class JobQueue;
}

namespace reos::webhooks {

class InboxWriter;
class WebhookIntake;

class WebhookService {
 public:
  /// Starts the inbox writer threads (they connect on first use). Everything passed in must
  /// outlive the service.
  WebhookService(const config::HubConfig& hub, plugin_runtime::ConnectorRegistry& connectors,
                 const queue::JobQueue& queue, http::MetricsRegistry& metrics);
  ~WebhookService();
  WebhookService(const WebhookService&) = delete;
  WebhookService& operator=(const WebhookService&) = delete;

  void add_routes(http::Router& router) const;

 private:
  std::unique_ptr<InboxWriter> inbox_;
  std::unique_ptr<WebhookIntake> intake_;
};

}  // namespace reos::webhooks
