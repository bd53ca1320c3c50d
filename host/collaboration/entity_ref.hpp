#pragma once

// What assignments and approvals point at: (entity_type, entity_id) of a contact, property,
// task or note in the caller's tenant.

#include <string>
#include <vector>

#include "http/problem_json.hpp"

namespace pqxx {
class transaction_base;
}

namespace reos::collaboration {

/// True for "contact", "property", "task", "note".
bool is_entity_type(const std::string& type);

/// True for a canonical lowercase or uppercase 8-4-4-4-12 hex UUID.
bool looks_like_uuid(const std::string& text);

/// Appends an InvalidParam for a bad `entity_type` / `entity_id` pair (field names as given)
/// — type not one of the four, or an id that cannot name such an entity (contacts, tasks and
/// notes have UUIDs; properties their listing key).
void check_entity_ref(const std::string& type, const std::string& id,
                      std::vector<http::InvalidParam>& bad,
                      const std::string& type_field = "entity_type",
                      const std::string& id_field = "entity_id");

/// True when the entity exists and is visible in the transaction's tenant (row-level
/// security hides other tenants' rows; soft-deleted contacts do not count).
bool entity_exists(pqxx::transaction_base& tx, const std::string& type, const std::string& id);

/// True when `user_id` (a UUID) is a member of the transaction's tenant with a role of at
/// least agent (viewers cannot act on assignments or decide approvals).
bool is_acting_member(pqxx::transaction_base& tx, const std::string& user_id);

}  // namespace reos::collaboration
