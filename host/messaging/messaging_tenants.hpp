#pragma once

// Every tenant's messaging settings, ready to use (the unsubscribe secret resolved), built
// from the loaded hub config. Shared by the message.send handler and the messaging routes.

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "messaging/messaging_settings.hpp"

namespace reos::config {
struct HubConfig;
}

namespace reos::messaging {

/// One tenant's messaging.
struct TenantMessaging {
  std::string tenant_id;
  std::string tenant_name;
  MessagingSettings settings;
  std::string unsubscribe_secret;  ///< resolved; "" when not configured or not resolvable
  /// Base of unsubscribe links: messaging.public_url, else hub http.public_url, else "".
  std::string public_url;
  /// Base of the hub's webhooks (hub http.public_url) for SMS status callbacks; "" = none.
  std::string webhook_base_url;
};

/// Read-only after construction, so thread-safe.
class MessagingTenants {
 public:
  /// Parses every tenant's messaging section and resolves its unsubscribe secret (a tenant
  /// whose secret cannot be resolved keeps "" and cannot send marketing email; logged).
  explicit MessagingTenants(const config::HubConfig& hub);

  /// The tenant's messaging, or nullptr for an unknown tenant.
  const TenantMessaging* find(const std::string& tenant_id) const;

  /// Unix seconds now; tests replace it to date and expire unsubscribe tokens.
  std::function<std::int64_t()> now_unix;

 private:
  std::map<std::string, TenantMessaging> tenants_;
};

}  // namespace reos::messaging
