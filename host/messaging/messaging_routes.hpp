#pragma once

// The messaging resources of the REST API (docs/messaging.md):
//   /api/v1/messages                  POST (queue one email/SMS), GET (filters, cursor pages)
//   /api/v1/messages/{id}             GET, with the events timeline
//   /api/v1/suppressions              GET, POST
//   /api/v1/suppressions/{channel}/{address}   DELETE
//   /api/v1/unsubscribe/{token}       GET (confirmation page), POST (RFC 8058 one-click) —
//                                     public: the signed token is the credential

#include <memory>

namespace reos::config {
struct HubConfig;
}
namespace reos::http {
class Router;
}
namespace reos::api {
class ApiContext;
}

namespace reos::messaging {

class MessagingTenants;

/// Registers every messaging route (the one line host/cli/rest_api_routes.cpp calls); keeps
/// its own MessagingTenants built from `hub`.
void add_messaging_routes(http::Router& router, const api::ApiContext& api,
                          const config::HubConfig& hub);

/// The parts, each in its own file; `tenants` is shared by their handlers.
void add_message_routes(http::Router& router, const api::ApiContext& api,
                        std::shared_ptr<const MessagingTenants> tenants);
void add_suppression_routes(http::Router& router, const api::ApiContext& api);
void add_unsubscribe_routes(http::Router& router, const api::ApiContext& api,
                            std::shared_ptr<const MessagingTenants> tenants);

}  // namespace reos::messaging
