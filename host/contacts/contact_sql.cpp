#include "contacts/contact_sql.hpp"

#include "property_search/property_columns.hpp"

namespace reos::contacts {
namespace {

using property_search::utc_text_sql;

std::string build_json() {
  return "json_build_object('id', c.id, 'first_name', c.first_name, 'last_name', c.last_name, "
         "'email', c.email, 'phone', c.phone, 'status', c.status, 'source', c.source, "
         "'owner_user_id', c.owner_user_id, 'score', c.score, 'tags', c.tags, "
         "'consent_email', c.consent_email, 'consent_email_at', " +
         utc_text_sql("c.consent_email_at") + ", 'consent_sms', c.consent_sms, 'consent_sms_at', " +
         utc_text_sql("c.consent_sms_at") + ", 'created_at', " + utc_text_sql("c.created_at") +
         ", 'updated_at', " + utc_text_sql("c.updated_at") + ")";
}

// A member's new value when the patch body `b` has it, else the stored one. `value` reads the
// member from b (NULL when the body says null).
std::string patched(const std::string& member, const std::string& value) {
  return member + " = CASE WHEN b ? '" + member + "' THEN " + value + " ELSE c." + member + " END";
}

// A consent flag and its timestamp: the timestamp moves only when the flag changes.
std::string consent(const std::string& member) {
  const std::string flag = "(b->>'" + member + "')::boolean";
  return member + " = coalesce(" + flag + ", c." + member + "), " + member + "_at = CASE WHEN " +
         flag + " IS DISTINCT FROM c." + member + " AND b ? '" + member + "' THEN now() ELSE c." +
         member + "_at END";
}

const char* kTags = "coalesce(ARRAY(SELECT jsonb_array_elements_text(b->'tags')), '{}')";

}  // namespace

const std::string& contact_json_sql() {
  static const std::string sql = build_json();
  return sql;
}

const std::string& insert_contact_sql() {
  static const std::string sql =
      "INSERT INTO contacts AS c (tenant_id, first_name, last_name, email, phone, status, source,"
      " owner_user_id, score, tags, consent_email, consent_email_at, consent_sms, consent_sms_at)"
      " SELECT reos_current_tenant(), coalesce(b->>'first_name', ''),"
      " coalesce(b->>'last_name', ''), b->>'email', b->>'phone', coalesce(b->>'status', 'new'),"
      " b->>'source', (b->>'owner_user_id')::uuid, (b->>'score')::integer, " +
      std::string(kTags) +
      ", coalesce((b->>'consent_email')::boolean, false),"
      " CASE WHEN (b->>'consent_email')::boolean THEN now() END,"
      " coalesce((b->>'consent_sms')::boolean, false),"
      " CASE WHEN (b->>'consent_sms')::boolean THEN now() END"
      " FROM (SELECT $1::jsonb AS b) AS body RETURNING " +
      contact_json_sql() + "::text AS contact, c.id::text AS id";
  return sql;
}

const std::string& patch_contact_sql() {
  static const std::string sql =
      "WITH old AS (SELECT c.id, " + contact_json_sql() +
      "::text AS before FROM contacts c WHERE c.id = $1::uuid AND c.deleted_at IS NULL FOR UPDATE)"
      " UPDATE contacts AS c SET " +
      patched("first_name", "b->>'first_name'") + ", " + patched("last_name", "b->>'last_name'") +
      ", " + patched("email", "b->>'email'") + ", " + patched("phone", "b->>'phone'") + ", " +
      patched("status", "b->>'status'") + ", " + patched("source", "b->>'source'") + ", " +
      patched("owner_user_id", "(b->>'owner_user_id')::uuid") + ", " +
      patched("score", "(b->>'score')::integer") + ", " + patched("tags", kTags) + ", " +
      consent("consent_email") + ", " + consent("consent_sms") +
      ", updated_at = now() FROM (SELECT $2::jsonb AS b) AS body, old WHERE c.id = old.id"
      " RETURNING old.before, " +
      contact_json_sql() + "::text AS after";
  return sql;
}

const std::string& delete_contact_sql() {
  static const std::string sql =
      "UPDATE contacts AS c SET deleted_at = now(), updated_at = now()"
      " WHERE c.id = $1::uuid AND c.deleted_at IS NULL RETURNING " +
      contact_json_sql() + "::text AS before";
  return sql;
}

const std::string& select_contact_sql() {
  static const std::string sql = "SELECT " + contact_json_sql() +
                                 "::text AS contact FROM contacts c"
                                 " WHERE c.id = $1::uuid AND c.deleted_at IS NULL";
  return sql;
}

}  // namespace reos::contacts
