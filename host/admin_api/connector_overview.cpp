#include "admin_api/connector_overview.hpp"

#include <cmath>
#include <pqxx/pqxx>

#include "log/logger.hpp"

namespace reos::admin_api {
namespace {

std::optional<std::chrono::system_clock::time_point> optional_time(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::microseconds(std::llround(f.as<double>() * 1e6))));
}

using CountKey = std::pair<std::string, std::string>;  // tenant, connector

// Job counts per (tenant, connector) and status. Succeeded jobs are left out: they are the
// bulk of the table and say nothing an operator acts on. Returns false on timeout.
bool count_jobs(pqxx::connection_base& conn, const std::string& tenant_id,
                std::map<CountKey, std::map<std::string, std::int64_t>>& counts) {
  try {
    pqxx::work tx(conn);
    tx.exec("SET LOCAL statement_timeout = 2000");
    const pqxx::result r = tx.exec_params(
        "SELECT tenant_id, payload->>'connector', status, count(*) FROM jobs"
        " WHERE status IN ('queued', 'running', 'failed', 'dead') AND payload ? 'connector'"
        "   AND ($1::text = '' OR tenant_id = $1::text)"
        " GROUP BY 1, 2, 3",
        tenant_id);
    tx.commit();
    for (const auto& row : r) {
      counts[{row[0].as<std::string>(), row[1].as<std::string>()}][row[2].as<std::string>()] =
          row[3].as<std::int64_t>();
    }
    return true;
  } catch (const pqxx::sql_error& e) {
    if (e.sqlstate() != "57014") throw;  // query_canceled: the statement timeout
    log::warn("admin API: job counts per connector timed out", {{"error", e.what()}});
    return false;
  }
}

}  // namespace

std::vector<ConnectorRow> read_connectors(pqxx::connection_base& conn,
                                          const std::string& tenant_id) {
  std::vector<ConnectorRow> rows;
  {
    pqxx::nontransaction tx(conn);
    const pqxx::result r = tx.exec_params(
        "SELECT tenant_id, id, plugin, enabled, status,"
        " extract(epoch FROM last_run_at)::float8, coalesce(last_error, ''), state::text"
        " FROM connectors WHERE ($1::text = '' OR tenant_id = $1::text)"
        " ORDER BY tenant_id, id",
        tenant_id);
    for (const auto& row : r) {
      ConnectorRow c;
      c.tenant_id = row[0].as<std::string>();
      c.id = row[1].as<std::string>();
      c.plugin = row[2].as<std::string>();
      c.enabled = row[3].as<bool>();
      c.status = row[4].as<std::string>();
      c.last_run_at = optional_time(row[5]);
      c.last_error = row[6].as<std::string>();
      c.state_json = row[7].as<std::string>();
      rows.push_back(std::move(c));
    }
  }
  if (rows.empty()) return rows;
  std::map<CountKey, std::map<std::string, std::int64_t>> counts;
  if (!count_jobs(conn, tenant_id, counts)) return rows;
  for (ConnectorRow& row : rows) {
    row.jobs_counted = true;
    const auto it = counts.find({row.tenant_id, row.id});
    if (it != counts.end()) row.job_counts = it->second;
  }
  return rows;
}

}  // namespace reos::admin_api
