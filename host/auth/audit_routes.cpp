// GET /api/v1/admin/audit — the tenant's audit trail, newest first, with filters and cursor
// pagination (docs/api.md "Pagination"): actor, action, entity_type, entity_id, since, until
// (RFC 3339), limit (1-200, default 50), cursor (the next_cursor of the previous page).
#include <pqxx/pqxx>
#include <regex>

#include "admin_api/query_params.hpp"
#include "api/api_context.hpp"
#include "auth/auth_routes.hpp"
#include "auth/route_helpers.hpp"
#include "http/router.hpp"

namespace reos::auth {
namespace {

bool is_rfc3339(const std::string& text) {
  static const std::regex kPattern(
      R"(^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$)");
  return std::regex_match(text, kPattern);
}

http::Response list_audit(const api::ApiContext& api, const api::ApiRequest& req) {
  admin_api::QueryParams q(req.http.query, {"actor", "action", "entity_type", "entity_id", "since",
                                            "until", "limit", "cursor"});
  const std::int64_t limit = q.integer("limit", 1, 200, 50);
  const std::int64_t cursor = q.integer("cursor", 1, INT64_MAX, 0);
  for (const char* name : {"since", "until"}) {
    if (auto v = q.text(name); v && !is_rfc3339(*v)) {
      q.reject(name, "must be an RFC 3339 date-time, e.g. 2026-01-31T09:00:00Z");
    }
  }
  if (!q.errors().empty()) api::throw_invalid(as_query_params(q.errors()));
  std::string items;
  std::int64_t last_id = 0;
  std::int64_t rows_read = 0;
  // The pattern admits dates the calendar does not have (2026-02-30): PostgreSQL says so.
  for (const char* name : {"since", "until"}) {
    if (auto v = q.text(name)) {
      api.as_system([&](pqxx::transaction_base& tx) {
        try {
          tx.exec_params("SELECT $1::timestamptz", *v);
        } catch (const pqxx::data_exception&) {
          api::throw_invalid({{std::string("query.") + name, "not a valid date-time"}});
        }
      });
    }
  }
  api.in_tenant(req, [&](pqxx::transaction_base& tx) {
    items.clear();
    rows_read = 0;
    const pqxx::result rows = tx.exec_params(
        "SELECT id, json_build_object('id', id, 'created_at', created_at, 'actor_type', actor_type,"
        " 'actor_id', actor_id, 'action', action, 'entity_type', entity_type,"
        " 'entity_id', entity_id, 'before', before, 'after', after, 'details', details,"
        " 'ip', ip, 'user_agent', user_agent, 'request_id', request_id)::text"
        " FROM audit_log"
        " WHERE ($1 = '' OR actor_id = $1) AND ($2 = '' OR action = $2)"
        " AND ($3 = '' OR entity_type = $3) AND ($4 = '' OR entity_id = $4)"
        " AND ($5 = '' OR created_at >= $5::timestamptz) AND ($6 = '' OR created_at < "
        "$6::timestamptz)"
        " AND ($7 = 0 OR id < $7)"
        " ORDER BY id DESC LIMIT $8",
        q.text("actor").value_or(""), q.text("action").value_or(""),
        q.text("entity_type").value_or(""), q.text("entity_id").value_or(""),
        q.text("since").value_or(""), q.text("until").value_or(""), cursor, limit + 1);
    for (const auto& row : rows) {
      if (++rows_read > limit) break;
      last_id = row[0].as<std::int64_t>();
      items += (items.empty() ? "" : ",") + row[1].as<std::string>();
    }
  });
  // One extra row was read to know whether another page exists.
  const std::string next = rows_read > limit ? "\"" + std::to_string(last_id) + "\"" : "null";
  return http::json_response(200, "{\"items\":[" + items + "],\"next_cursor\":" + next + "}");
}

}  // namespace

void add_audit_routes(http::Router& router, const api::ApiContext& api) {
  api.route(router, "GET", "/api/v1/admin/audit", {api::Role::admin, "admin:read", true, true},
            [&api](const api::ApiRequest& req) { return list_audit(api, req); });
}

}  // namespace reos::auth
