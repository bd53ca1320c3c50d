#include "collaboration/collaboration_routes.hpp"

#include "collaboration/route_support.hpp"

namespace reos::collaboration {

void add_collaboration_routes(http::Router& router, const api::ApiContext& api) {
  add_assignment_routes(router, api);
  add_approval_routes(router, api);
  add_inbox_route(router, api);
}

}  // namespace reos::collaboration
