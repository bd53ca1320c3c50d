#include "db/tenant_scope.hpp"

#include <pqxx/pqxx>
#include <stdexcept>

namespace reos::db {

void enter_tenant_scope(pqxx::transaction_base& tx, const std::string& tenant_id) {
  if (tenant_id.empty()) throw std::invalid_argument("tenant scope: empty tenant id");
  // One round trip: set_config('role', …, true) is SET LOCAL ROLE. Every API request and job
  // enters a scope, so the saved round trip shows in their latency.
  tx.exec_params(
      "SELECT set_config('role', 'reos_app', true), set_config('reos.tenant_id', $1, true)",
      tenant_id);
}

}  // namespace reos::db
