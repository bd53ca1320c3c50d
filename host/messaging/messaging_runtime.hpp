#pragma once

// What the message.send handler and the messaging routes share in one process: each tenant's
// messaging settings with its unsubscribe secret resolved, and the pipeline runtime that owns
// the notifier connectors, their circuit breakers and the database pool.

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "messaging/messaging_settings.hpp"

namespace reos::config {
struct HubConfig;
}
namespace reos::pipeline_exec {
class PipelineRuntime;
}

namespace reos::messaging {

/// One tenant's messaging, ready to use.
struct TenantMessaging {
  std::string tenant_id;
  std::string tenant_name;
  MessagingSettings settings;
  std::string unsubscribe_secret;  ///< resolved; "" when not configured
  /// Base of unsubscribe links: messaging.public_url, else hub http.public_url, else "".
  std::string public_url;
  /// Base of the hub's webhooks (hub http.public_url) for SMS status callbacks; "" = none.
  std::string webhook_base_url;
};

/// Thread-safe after construction (read-only). `pipelines` must outlive it.
class MessagingRuntime {
 public:
  /// Parses every tenant's messaging section and resolves its unsubscribe secret (a tenant
  /// whose secret cannot be resolved keeps "" and cannot send marketing email).
  MessagingRuntime(const config::HubConfig& hub, pipeline_exec::PipelineRuntime& pipelines);

  /// The tenant's messaging, or nullptr for an unknown tenant.
  const TenantMessaging* tenant(const std::string& tenant_id) const;
  pipeline_exec::PipelineRuntime& pipelines() const { return pipelines_; }

  /// Unix seconds now; tests replace it to expire tokens.
  std::function<std::int64_t()> now_unix;

 private:
  pipeline_exec::PipelineRuntime& pipelines_;
  std::map<std::string, TenantMessaging> tenants_;
};

}  // namespace reos::messaging
