#pragma once

// The checks a task must pass beyond its JSON Schema (docs/contacts.md): a real calendar
// date, an assignee who is a member of the tenant, and a related contact or listing that
// exists in the tenant.

#include <nlohmann/json_fwd.hpp>
#include <string>

namespace pqxx {
class transaction_base;
}

namespace reos::contacts {

/// True for "YYYY-MM-DD" naming a day that exists (Gregorian calendar).
bool is_calendar_date(const std::string& text);

/// Throws 400 naming every member of `task` (the whole task after any patch) that breaks a
/// rule; `tx` acts for the tenant.
void check_task(pqxx::transaction_base& tx, const nlohmann::json& task);

}  // namespace reos::contacts
