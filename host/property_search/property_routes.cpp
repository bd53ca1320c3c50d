#include "property_search/property_routes.hpp"

#include <pqxx/pqxx>

#include "api/api_context.hpp"
#include "http/router.hpp"
#include "property_search/property_search.hpp"

namespace reos::property_search {
namespace {

const api::RouteAccess kRead{api::Role::viewer, "properties:read"};

// Runs `fn` in the caller's tenant. A cursor is checked for shape when parsed; a value that
// still does not cast (a hand-made cursor with month 13) is the cursor's fault, not a 500.
void read_in_tenant(const api::ApiContext& api, const api::ApiRequest& req,
                    const PropertyQuery& query,
                    const std::function<void(pqxx::transaction_base&)>& fn) {
  try {
    // (JIT is off for every hub connection: db::connect.)
    api.in_tenant(req, [&](pqxx::transaction_base& tx) { fn(tx); });
  } catch (const pqxx::data_exception&) {
    if (!query.after) throw;
    api::throw_invalid({{"query.cursor", "not a cursor this API returned"}});
  }
}

bool wants_csv(const http::Request& request) {
  return request.header("accept").find("text/csv") != std::string::npos;
}

http::Response csv_export(const api::ApiContext& api, const api::ApiRequest& req) {
  const PropertyQuery query = parse_property_query(req.http.query, true);
  http::Response response;
  response.content_type = "text/csv; charset=utf-8; header=present";
  std::string next_cursor;
  api.in_tenant(
      req, [&](pqxx::transaction_base& tx) { response.body = search_csv(tx, query, next_cursor); });
  response.headers.emplace_back("Content-Disposition", "attachment; filename=\"properties.csv\"");
  if (!next_cursor.empty()) response.headers.emplace_back("X-Next-Cursor", next_cursor);
  return response;
}

http::Response search(const api::ApiContext& api, const api::ApiRequest& req) {
  if (wants_csv(req.http)) return csv_export(api, req);
  const PropertyQuery query = parse_property_query(req.http.query, false);
  std::string body;
  read_in_tenant(api, req, query,
                 [&](pqxx::transaction_base& tx) { body = search_page_json(tx, query); });
  return http::json_response(200, std::move(body));
}

http::Response get_one(const api::ApiContext& api, const api::ApiRequest& req) {
  const std::string key = req.http.path_params.at("ListingKey");
  std::string body;
  api.in_tenant(req, [&](pqxx::transaction_base& tx) { body = property_json(tx, key); });
  if (body.empty()) api::throw_not_found("property " + key);
  return http::json_response(200, std::move(body));
}

}  // namespace

void add_property_search_routes(http::Router& router, const api::ApiContext& api) {
  api.route(router, "GET", "/api/v1/properties", kRead,
            [&api](const api::ApiRequest& req) { return search(api, req); });
  api.route(router, "GET", "/api/v1/properties.csv", kRead,
            [&api](const api::ApiRequest& req) { return csv_export(api, req); });
  api.route(router, "GET", "/api/v1/properties/{ListingKey}", kRead,
            [&api](const api::ApiRequest& req) { return get_one(api, req); });
}

}  // namespace reos::property_search
