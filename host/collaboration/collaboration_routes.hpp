#pragma once

// Assignments, approvals and the per-user inbox under /api/v1 (docs/collaboration.md).

namespace reos::http {
class Router;
}
namespace reos::api {
class ApiContext;
}

namespace reos::collaboration {

/// Registers POST/GET /api/v1/assignments, /assignments/{id}/accept|done, /approvals
/// (request, list, get, approve, reject, cancel) and GET /api/v1/inbox.
void add_collaboration_routes(http::Router& router, const api::ApiContext& api);

}  // namespace reos::collaboration
