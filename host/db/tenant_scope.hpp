#pragma once

#include <string>

namespace pqxx {
class transaction_base;
}

namespace reos::db {

/// Makes the rest of `tx` act for one tenant: switches to the role `reos_app` (which cannot
/// bypass row-level security) and sets `reos.tenant_id`. Both are transaction-local, so they
/// end with the commit or rollback and a pooled connection never leaks a tenant.
/// Throws std::invalid_argument for an empty tenant id.
void enter_tenant_scope(pqxx::transaction_base& tx, const std::string& tenant_id);

}  // namespace reos::db
