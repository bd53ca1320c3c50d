#include "db/tenant_scope.hpp"

#include <pqxx/pqxx>
#include <stdexcept>

namespace reos::db {

void enter_tenant_scope(pqxx::transaction_base& tx, const std::string& tenant_id) {
  if (tenant_id.empty()) throw std::invalid_argument("tenant scope: empty tenant id");
  tx.exec("SET LOCAL ROLE reos_app");
  tx.exec_params("SELECT set_config('reos.tenant_id', $1, true)", tenant_id);
}

}  // namespace reos::db
