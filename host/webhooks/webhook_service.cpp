#include "webhooks/webhook_service.hpp"

#include "config/hub_config.hpp"
#include "webhooks/inbox_writer.hpp"
#include "webhooks/webhook_intake.hpp"

namespace reos::webhooks {

WebhookService::WebhookService(const config::HubConfig& hub,
                               plugin_runtime::ConnectorRegistry& connectors,
                               const queue::JobQueue& queue, http::MetricsRegistry& metrics) {
  InboxWriterOptions writer;
  writer.conninfo = hub.database.conninfo();
  inbox_ = std::make_unique<InboxWriter>(writer, queue, &metrics);
  WebhookIntakeSettings settings;
  settings.public_url = hub.http.public_url;
  settings.max_body_bytes = hub.http.webhook_max_body_bytes;
  intake_ = std::make_unique<WebhookIntake>(settings, connectors, *inbox_, metrics);
}

WebhookService::~WebhookService() = default;

void WebhookService::add_routes(http::Router& router) const {
  intake_->add_routes(router);
}

}  // namespace reos::webhooks
