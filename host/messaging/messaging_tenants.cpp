#include "messaging/messaging_tenants.hpp"

#include <chrono>

#include "config/hub_config.hpp"
#include "log/logger.hpp"

namespace reos::messaging {

MessagingTenants::MessagingTenants(const config::HubConfig& hub)
    : now_unix([] {
        return static_cast<std::int64_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                             std::chrono::system_clock::now().time_since_epoch())
                                             .count());
      }) {
  std::string hub_url = hub.http.public_url;
  while (!hub_url.empty() && hub_url.back() == '/') hub_url.pop_back();
  for (const config::TenantConfig& t : hub.tenants) {
    TenantMessaging m;
    m.tenant_id = t.id;
    m.tenant_name = t.name;
    m.settings = parse_messaging_settings(t.messaging_json);
    m.public_url = m.settings.public_url.empty() ? hub_url : m.settings.public_url;
    m.webhook_base_url = hub_url;
    const auto secret = t.secrets.find(m.settings.unsubscribe_secret_name);
    if (!m.settings.unsubscribe_secret_name.empty() && secret != t.secrets.end()) {
      try {
        m.unsubscribe_secret = config::resolve_secret(secret->second);
      } catch (const std::exception& e) {
        log::warn("messaging: unsubscribe secret cannot be resolved; marketing email is off",
                  {{"tenant", t.id}, {"error", e.what()}});
      }
    }
    tenants_.emplace(t.id, std::move(m));
  }
}

const TenantMessaging* MessagingTenants::find(const std::string& tenant_id) const {
  const auto it = tenants_.find(tenant_id);
  return it == tenants_.end() ? nullptr : &it->second;
}

}  // namespace reos::messaging
