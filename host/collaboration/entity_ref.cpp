#include "collaboration/entity_ref.hpp"

#include <cctype>
#include <pqxx/pqxx>

namespace reos::collaboration {

bool is_entity_type(const std::string& type) {
  return type == "contact" || type == "property" || type == "task" || type == "note";
}

bool looks_like_uuid(const std::string& text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !std::isxdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  return true;
}

void check_entity_ref(const std::string& type, const std::string& id,
                      std::vector<http::InvalidParam>& bad, const std::string& type_field,
                      const std::string& id_field) {
  if (!is_entity_type(type)) {
    bad.push_back({type_field, "must be one of contact, property, task, note"});
    return;
  }
  if (id.empty() || id.size() > 255)
    bad.push_back({id_field, "must be 1 to 255 characters"});
  else if (type != "property" && !looks_like_uuid(id))
    bad.push_back({id_field, "must be the UUID of a " + type});
}

bool entity_exists(pqxx::transaction_base& tx, const std::string& type, const std::string& id) {
  // Table names come from this fixed list, never from the request.
  const char* sql = nullptr;
  if (type == "contact")
    sql = "SELECT 1 FROM contacts WHERE id = $1::uuid AND deleted_at IS NULL";
  else if (type == "task")
    sql = "SELECT 1 FROM tasks WHERE id = $1::uuid";
  else if (type == "note")
    sql = "SELECT 1 FROM notes WHERE id = $1::uuid";
  else if (type == "property")
    sql = "SELECT 1 FROM properties WHERE tenant_id = reos_current_tenant() AND listing_key = $1";
  else
    return false;
  return !tx.exec_params(sql, id).empty();
}

bool is_acting_member(pqxx::transaction_base& tx, const std::string& user_id) {
  if (!looks_like_uuid(user_id)) return false;
  return !tx.exec_params(
                "SELECT 1 FROM tenant_memberships WHERE user_id = $1::uuid"
                " AND role IN ('agent', 'admin')",
                user_id)
              .empty();
}

}  // namespace reos::collaboration
