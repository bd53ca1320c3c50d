#include "plugin_runtime/connector_state_store.hpp"

#include <pqxx/pqxx>
#include <stdexcept>

#include "db/connection_pool.hpp"
#include "db/tenant_scope.hpp"

namespace reos::plugin_runtime {

ConnectorStateStore::ConnectorStateStore(db::ConnectionPool& pool, std::string tenant_id,
                                         std::string connector_id)
    : pool_(pool), tenant_id_(std::move(tenant_id)), connector_id_(std::move(connector_id)) {}

std::optional<std::string> ConnectorStateStore::get(std::string_view key) const {
  auto lease = pool_.acquire();
  pqxx::read_transaction tx(*lease);
  db::enter_tenant_scope(tx, tenant_id_);
  const pqxx::result rows =
      tx.exec_params("SELECT state->>$3 FROM connectors WHERE tenant_id = $1 AND id = $2",
                     tenant_id_, connector_id_, std::string(key));
  if (rows.empty()) {
    throw std::runtime_error("connector '" + connector_id_ + "' of tenant '" + tenant_id_ +
                             "' has no row in connectors");
  }
  if (rows[0][0].is_null()) return std::nullopt;
  return rows[0][0].as<std::string>();
}

void ConnectorStateStore::put(std::string_view key, std::string_view value) const {
  auto lease = pool_.acquire();
  pqxx::work tx(*lease);
  db::enter_tenant_scope(tx, tenant_id_);
  const pqxx::result r = tx.exec_params(
      "UPDATE connectors SET state = state || jsonb_build_object($3::text, $4::text), "
      "updated_at = now() WHERE tenant_id = $1 AND id = $2",
      tenant_id_, connector_id_, std::string(key), std::string(value));
  if (r.affected_rows() != 1) {
    throw std::runtime_error("connector '" + connector_id_ + "' of tenant '" + tenant_id_ +
                             "' has no row in connectors");
  }
  tx.commit();
}

}  // namespace reos::plugin_runtime
