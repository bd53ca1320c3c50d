#pragma once

// The five routes of a CRM collection (POST and GET on the collection; GET, PATCH and DELETE
// on /{id}), registered alike for contacts and tasks.

#include <string>

#include "api/api_context.hpp"

namespace reos::contacts {

using CrudHandler = http::Response (*)(const api::ApiContext&, const api::ApiRequest&);

struct CrudHandlers {
  CrudHandler create;
  CrudHandler list;
  CrudHandler get_one;
  CrudHandler patch;
  CrudHandler remove;
};

/// Registers `collection` (e.g. "/api/v1/tasks") and `collection + "/{id}"`: reads need
/// `read`, writes `write`.
void add_crud_routes(http::Router& router, const api::ApiContext& api,
                     const std::string& collection, const api::RouteAccess& read,
                     const api::RouteAccess& write, const CrudHandlers& handlers);

/// 204 without a body (a DELETE's answer).
http::Response no_content();

}  // namespace reos::contacts
