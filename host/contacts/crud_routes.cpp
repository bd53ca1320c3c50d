#include "contacts/crud_routes.hpp"

#include "http/router.hpp"

namespace reos::contacts {

void add_crud_routes(http::Router& router, const api::ApiContext& api,
                     const std::string& collection, const api::RouteAccess& read,
                     const api::RouteAccess& write, const CrudHandlers& handlers) {
  const std::string one = collection + "/{id}";
  const auto bind = [&api](CrudHandler handler) {
    return [&api, handler](const api::ApiRequest& req) { return handler(api, req); };
  };
  api.route(router, "POST", collection, write, bind(handlers.create));
  api.route(router, "GET", collection, read, bind(handlers.list));
  api.route(router, "GET", one, read, bind(handlers.get_one));
  api.route(router, "PATCH", one, write, bind(handlers.patch));
  api.route(router, "DELETE", one, write, bind(handlers.remove));
}

http::Response no_content() {
  http::Response response;
  response.status = 204;
  response.content_type.clear();
  return response;
}

}  // namespace reos::contacts
