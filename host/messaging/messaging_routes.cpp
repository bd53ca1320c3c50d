#include "messaging/messaging_routes.hpp"

#include "messaging/messaging_tenants.hpp"

namespace reos::messaging {

void add_messaging_routes(http::Router& router, const api::ApiContext& api,
                          const config::HubConfig& hub) {
  auto tenants = std::make_shared<const MessagingTenants>(hub);
  add_message_routes(router, api, tenants);
  add_suppression_routes(router, api);
  add_unsubscribe_routes(router, api, tenants);
}

}  // namespace reos::messaging
