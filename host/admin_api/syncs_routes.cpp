// GET /api/v1/admin/syncs?tenant=&connector=&limit=&before=: sync runs (migrations/
// 0007_sync_runs.sql), newest first, one page. A run is a chain of source.pull pages of one
// connector for one pipeline, with its counters (docs/admin-api.md, docs/listings.md).

#include <chrono>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "admin_api/admin_context.hpp"
#include "admin_api/job_json.hpp"
#include "admin_api/list_query.hpp"
#include "admin_api/query_params.hpp"
#include "http/problem_json.hpp"

namespace reos::admin_api {
namespace {

using nlohmann::json;

json time_or_null(const pqxx::field& epoch_seconds) {
  if (epoch_seconds.is_null()) return nullptr;
  const auto micros = static_cast<long long>(epoch_seconds.as<double>() * 1e6);
  return format_utc(std::chrono::system_clock::time_point(std::chrono::microseconds(micros)));
}

// running: pages still to pull or process; failed: finished with an error that is not only
// the note that the gone check was skipped; succeeded otherwise.
std::string status_of(bool finished, const std::string& error) {
  if (!finished) return "running";
  if (!error.empty() && error.rfind("gone check skipped", 0) != 0) return "failed";
  return "succeeded";
}

json run_json(const pqxx::row& row) {
  const std::string error = row["error"].is_null() ? "" : row["error"].as<std::string>();
  return {{"id", row["id"].as<std::int64_t>()},
          {"tenant", row["tenant_id"].as<std::string>()},
          {"pipeline", row["pipeline_id"].as<std::string>()},
          {"connector", row["connector_id"].as<std::string>()},
          {"full", row["full_sync"].as<bool>()},
          {"status", status_of(!row["finished_at"].is_null(), error)},
          {"started_at", time_or_null(row["started_at"])},
          {"pulled_at", time_or_null(row["pulled_at"])},
          {"finished_at", time_or_null(row["finished_at"])},
          {"pages", row["pages"].as<std::int64_t>()},
          {"fetched", row["fetched"].as<std::int64_t>()},
          {"inserted", row["inserted"].as<std::int64_t>()},
          {"updated", row["updated"].as<std::int64_t>()},
          {"unchanged", row["unchanged"].as<std::int64_t>()},
          {"quarantined", row["quarantined"].as<std::int64_t>()},
          {"gone", row["gone"].as<std::int64_t>()},
          {"error", error.empty() ? json() : json(error)}};
}

http::Response list_syncs(const AdminContext& context, const http::Request& request) {
  QueryParams params(request.query, {"tenant", "connector", "limit", "before"});
  std::string tenant, connector;
  if (const auto value = params.text("tenant")) {
    if (is_tenant_id(*value)) {
      tenant = *value;
    } else {
      params.reject("tenant", "must be a tenant id (lowercase letters, digits, '-')");
    }
  }
  if (const auto value = params.text("connector")) {
    if (is_tenant_id(*value)) {  // connector ids follow the same pattern
      connector = *value;
    } else {
      params.reject("connector", "must be a connector id (lowercase letters, digits, '-')");
    }
  }
  const std::int64_t limit = params.integer("limit", 1, kMaxPageSize, kDefaultPageSize);
  const std::int64_t before = params.integer("before", 1, INT64_MAX, INT64_MAX);
  if (!params.errors().empty()) {
    return http::problem(400, "Bad Request", "invalid query parameters", request.path,
                         params.errors());
  }
  auto conn = context.connection();
  pqxx::nontransaction tx(*conn);
  const pqxx::result r = tx.exec_params(
      "SELECT id, tenant_id, pipeline_id, connector_id, full_sync, error, pages, fetched,"
      " inserted, updated, unchanged, quarantined, gone,"
      " extract(epoch FROM started_at)::float8 AS started_at,"
      " extract(epoch FROM pulled_at)::float8 AS pulled_at,"
      " extract(epoch FROM finished_at)::float8 AS finished_at"
      " FROM sync_runs WHERE ($1 = '' OR tenant_id = $1) AND ($2 = '' OR connector_id = $2)"
      "   AND id < $3 ORDER BY id DESC LIMIT $4",
      tenant, connector, before, limit + 1);
  json items = json::array();
  json next = nullptr;
  for (std::size_t i = 0; i < r.size(); ++i) {
    if (static_cast<std::int64_t>(i) == limit) {
      next = r[i - 1]["id"].as<std::int64_t>();
      break;
    }
    items.push_back(run_json(r[i]));
  }
  return http::json_response(200, json{{"items", std::move(items)}, {"next_before", next}}.dump(
                                      -1, ' ', false, json::error_handler_t::replace));
}

}  // namespace

void add_sync_routes(http::Router& router, const AdminContext& context,
                     const std::function<http::Handler(http::Handler)>& wrap) {
  router.add("GET", "/api/v1/admin/syncs",
             wrap([&context](const http::Request& r) { return list_syncs(context, r); }));
}

}  // namespace reos::admin_api
