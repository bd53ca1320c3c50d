#include "contacts/tenant_members.hpp"

#include <pqxx/pqxx>

namespace reos::contacts {

bool is_tenant_member(pqxx::transaction_base& tx, const std::string& user_id) {
  // Row-level security limits memberships to the current tenant.
  return !tx.exec_params("SELECT 1 FROM tenant_memberships WHERE user_id = $1::uuid", user_id)
              .empty();
}

}  // namespace reos::contacts
