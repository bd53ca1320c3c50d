#pragma once

// Helpers shared by the collaboration route files (not part of the module's interface).

#include <functional>
#include <string>

#include "api/api_context.hpp"

namespace reos::collaboration {

/// API key scopes of the collaboration routes.
inline constexpr const char* kReadScope = "collaboration:read";
inline constexpr const char* kWriteScope = "collaboration:write";

/// Most list endpoints answer at most this many items (query parameter `limit`).
inline constexpr long kMaxLimit = 200;

/// The `{id}` path parameter as a UUID; 404 naming `what` when it cannot be one (such an
/// id cannot exist, and a 404 is what any unknown id gets).
std::string path_uuid(const api::ApiRequest& req, const std::string& what);

/// ApiContext::in_tenant, with the database's refusals mapped to 409: a partial unique index
/// (one current assignment / one pending approval per entity) and the state-machine
/// triggers (SQLSTATE RE409). `conflict_detail` explains the unique-index case.
void in_tenant_checked(const api::ApiContext& api, const api::ApiRequest& req,
                       const std::string& conflict_detail,
                       const std::function<void(pqxx::transaction_base&)>& fn);

/// The caller's user id when it is a person; 403 for API keys (who cannot be an assignee
/// or approver), naming `what` they tried.
const std::string& require_user(const api::ApiRequest& req, const std::string& what);

/// A 201/200 JSON response.
http::Response json_reply(int status, std::string body);

void add_assignment_routes(http::Router& router, const api::ApiContext& api);
void add_approval_routes(http::Router& router, const api::ApiContext& api);
void add_inbox_route(http::Router& router, const api::ApiContext& api);

}  // namespace reos::collaboration
