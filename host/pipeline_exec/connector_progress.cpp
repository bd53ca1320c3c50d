#include "pipeline_exec/connector_progress.hpp"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <stdexcept>

#include "db/connection_pool.hpp"
#include "db/tenant_scope.hpp"

namespace reos::pipeline_exec {

std::string read_cursor(db::ConnectionPool& pool, const std::string& tenant,
                        const std::string& connector) {
  auto lease = pool.acquire();
  pqxx::read_transaction tx(*lease);
  db::enter_tenant_scope(tx, tenant);
  const pqxx::result r = tx.exec_params(
      "SELECT coalesce(state->>'cursor', '') FROM connectors WHERE tenant_id = $1 AND id = $2",
      tenant, connector);
  if (r.empty()) {
    throw std::runtime_error("connector '" + connector + "' of tenant '" + tenant +
                             "' has no row in connectors");
  }
  return r[0][0].as<std::string>();
}

bool advance_cursor(pqxx::transaction_base& tx, const std::string& tenant,
                    const std::string& connector, const std::string& cursor_before,
                    const std::optional<std::string>& cursor_after,
                    const std::vector<std::pair<std::string, std::string>>& state_writes) {
  nlohmann::json patch = nlohmann::json::object();
  for (const auto& [key, value] : state_writes) patch[key] = value;  // later writes win
  patch["cursor"] = cursor_after ? *cursor_after : cursor_before;
  const pqxx::result r = tx.exec_params(
      "UPDATE connectors SET state = state || $4::jsonb, last_run_at = now(),"
      "  status = CASE WHEN status = 'disabled' THEN status ELSE 'idle' END,"
      "  last_error = NULL, updated_at = now()"
      " WHERE tenant_id = $1 AND id = $2 AND coalesce(state->>'cursor', '') = $3",
      tenant, connector, cursor_before, patch.dump());
  return r.affected_rows() == 1;
}

void record_pull_failure(db::ConnectionPool& pool, const std::string& tenant,
                         const std::string& connector, const std::string& error, bool failing) {
  auto lease = pool.acquire();
  pqxx::work tx(*lease);
  db::enter_tenant_scope(tx, tenant);
  tx.exec_params(
      "UPDATE connectors SET last_error = $3, last_run_at = now(), updated_at = now(),"
      "  status = CASE WHEN $4::boolean AND status <> 'disabled' THEN 'failing' ELSE status END"
      " WHERE tenant_id = $1 AND id = $2",
      tenant, connector, error.substr(0, 4000), failing);
  tx.commit();
}

}  // namespace reos::pipeline_exec
