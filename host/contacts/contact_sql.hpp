#pragma once

// The SQL of the contact resource: its JSON shape and the insert and merge-patch statements,
// each taking the validated request body as one jsonb parameter (docs/contacts.md).

#include <string>

namespace reos::contacts {

/// `json_build_object(...)` of the contact row aliased `c`.
const std::string& contact_json_sql();

/// INSERT of a new contact from the body $1 (jsonb), returning the JSON text as `contact`.
const std::string& insert_contact_sql();

/// Merge-patch UPDATE of live contact $1 (uuid) with body $2 (jsonb), returning `before`
/// and `after` JSON texts; no row when the contact does not exist.
const std::string& patch_contact_sql();

/// Soft DELETE of live contact $1, returning its JSON as `before`; no row when none.
const std::string& delete_contact_sql();

/// SELECT of live contact $1 as `contact`.
const std::string& select_contact_sql();

}  // namespace reos::contacts
