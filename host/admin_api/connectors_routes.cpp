// GET /api/v1/admin/connectors: every tenant connector with its recorded status, state
// (cursors), circuit breaker and job counts.

#include <nlohmann/json.hpp>

#include "admin_api/admin_context.hpp"
#include "admin_api/connector_overview.hpp"
#include "admin_api/job_json.hpp"
#include "admin_api/list_query.hpp"
#include "admin_api/query_params.hpp"
#include "http/problem_json.hpp"
#include "log/logger.hpp"

namespace reos::admin_api {
namespace {

using nlohmann::json;
using CircuitKey = std::pair<std::string, std::string>;  // tenant, connector

// The injected circuits by connector; nullopt when the source failed (logged).
std::optional<std::map<CircuitKey, ConnectorCircuit>> circuits(const AdminContext& context) {
  std::map<CircuitKey, ConnectorCircuit> by_key;
  if (!context.connector_circuits) return by_key;
  try {
    for (ConnectorCircuit& c : context.connector_circuits()) {
      CircuitKey key{c.tenant_id, c.connector_id};
      by_key.insert_or_assign(std::move(key), std::move(c));
    }
  } catch (const std::exception& e) {
    log::warn("admin API: connector circuits unavailable", {{"error", e.what()}});
    return std::nullopt;
  }
  return by_key;
}

json circuit_json(const ConnectorCircuit& c) {
  json counters = json::object();
  for (const auto& [name, value] : c.counters) counters[name] = value;
  return {{"state", c.state},
          {"open_until", c.open_until ? json(format_utc(*c.open_until)) : json()},
          {"counters", std::move(counters)}};
}

json connector_json(const ConnectorRow& row, const ConnectorCircuit* circuit) {
  json state = json::parse(row.state_json, nullptr, false);
  if (state.is_discarded()) state = row.state_json;  // jsonb text always parses
  json jobs;
  if (row.jobs_counted) {
    jobs = json::object();
    for (const char* status : {"queued", "running", "failed", "dead"}) {
      const auto it = row.job_counts.find(status);
      jobs[status] = it == row.job_counts.end() ? 0 : it->second;
    }
  }
  return {{"tenant", row.tenant_id},
          {"id", row.id},
          {"plugin", row.plugin},
          {"enabled", row.enabled},
          {"status", row.status},
          {"last_run_at", row.last_run_at ? json(format_utc(*row.last_run_at)) : json()},
          {"last_error", row.last_error.empty() ? json() : json(row.last_error)},
          {"state", std::move(state)},
          {"circuit", circuit ? circuit_json(*circuit) : json()},
          {"jobs", std::move(jobs)}};
}

http::Response list_connectors(const AdminContext& context, const http::Request& request) {
  QueryParams params(request.query, {"tenant"});
  std::string tenant;
  if (const auto value = params.text("tenant")) {
    if (is_tenant_id(*value)) {
      tenant = *value;
    } else {
      params.reject("tenant", "must be a tenant id (lowercase letters, digits, '-')");
    }
  }
  if (!params.errors().empty()) {
    return http::problem(400, "Bad Request", "invalid query parameters", request.path,
                         params.errors());
  }
  std::vector<ConnectorRow> rows;
  {
    auto conn = context.connection();
    rows = read_connectors(*conn, tenant);
  }
  const auto by_key = circuits(context);
  json items = json::array();
  for (const ConnectorRow& row : rows) {
    const ConnectorCircuit* circuit = nullptr;
    if (by_key) {
      const auto it = by_key->find({row.tenant_id, row.id});
      if (it != by_key->end()) circuit = &it->second;
    }
    items.push_back(connector_json(row, circuit));
  }
  return http::json_response(
      200, json{{"items", std::move(items)}}.dump(-1, ' ', false, json::error_handler_t::replace));
}

}  // namespace

void add_connector_routes(http::Router& router, const AdminContext& context,
                          const std::function<http::Handler(http::Handler)>& wrap) {
  router.add("GET", "/api/v1/admin/connectors",
             wrap([&context](const http::Request& r) { return list_connectors(context, r); }));
}

}  // namespace reos::admin_api
