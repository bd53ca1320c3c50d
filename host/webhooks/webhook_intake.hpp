#pragma once

// POST /webhooks/{tenant}/{connector}: look up the connector (404), check the size (413),
// let its plugin verify the request (401 on a bad signature, nothing stored but a counter),
// commit the request and its events to the inbox, and only then answer 200.
// docs/webhooks.md has the whole contract.

#include <chrono>
#include <cstddef>
#include <string>

#include "http/http_types.hpp"

namespace reos::http {
class MetricsRegistry;
class Router;
template <class Metric>
class Family;
class Counter;
}  // namespace reos::http
namespace reos::plugin_runtime {
class ConnectorRegistry;
}

namespace reos::webhooks {

class InboxWriter;

struct WebhookIntakeSettings {
  /// hub.yaml http.public_url: the base the provider called; "" = http://<Host header>.
  std::string public_url;
  std::size_t max_body_bytes = 1048576;  ///< hub.yaml http.webhook_max_body_bytes
  std::chrono::milliseconds plugin_deadline{10000};
};

/// The route's handler. Thread-safe; `connectors`, `inbox` and `metrics` must outlive it.
class WebhookIntake {
 public:
  WebhookIntake(WebhookIntakeSettings settings, plugin_runtime::ConnectorRegistry& connectors,
                InboxWriter& inbox, http::MetricsRegistry& metrics);

  http::Response handle(const http::Request& request) const;

  /// Registers POST /webhooks/{tenant}/{connector} on `router`.
  void add_routes(http::Router& router) const;

 private:
  http::Response reject(const std::string& tenant, const std::string& connector,
                        const std::string& reason, http::Response response) const;

  WebhookIntakeSettings settings_;
  plugin_runtime::ConnectorRegistry& connectors_;
  InboxWriter& inbox_;
  http::Family<http::Counter>& rejected_;
  http::Family<http::Counter>& events_;
};

/// The URL the provider called: `public_url` (or http://<host>) + path + "?" + query.
std::string public_webhook_url(const std::string& public_url, const http::Request& request);

}  // namespace reos::webhooks
