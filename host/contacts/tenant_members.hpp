#pragma once

#include <string>

namespace pqxx {
class transaction_base;
}

namespace reos::contacts {

/// True when `user_id` (a UUID) is a member of the tenant `tx` acts for.
bool is_tenant_member(pqxx::transaction_base& tx, const std::string& user_id);

}  // namespace reos::contacts
