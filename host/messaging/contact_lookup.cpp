#include "messaging/contact_lookup.hpp"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <regex>


namespace reos::messaging {
namespace {

bool contacts_table_exists(pqxx::transaction_base& tx) {
  return !tx.exec1("SELECT to_regclass('contacts') IS NULL")[0].as<bool>();
}

std::string text_field(const nlohmann::json& row, const char* name) {
  const auto it = row.find(name);
  return it != row.end() && it->is_string() ? it->get<std::string>() : "";
}

ContactInfo to_contact(const std::string& row_json) {
  const nlohmann::json row = nlohmann::json::parse(row_json);
  ContactInfo c;
  c.id = text_field(row, "id");
  c.first_name = text_field(row, "first_name");
  c.last_name = text_field(row, "last_name");
  c.email = text_field(row, "email");
  c.phone = text_field(row, "phone");
  c.consent_email = row.value("consent_email", nlohmann::json(false)).is_boolean() &&
                    row["consent_email"].get<bool>();
  c.consent_sms = row.value("consent_sms", nlohmann::json(false)).is_boolean() &&
                  row["consent_sms"].get<bool>();
  return c;
}

}  // namespace

std::optional<ContactInfo> find_contact(pqxx::transaction_base& tx, const std::string& tenant,
                                        const std::string& contact_id) {
  static const std::regex kUuid("^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$");
  if (!std::regex_match(contact_id, kUuid) || !contacts_table_exists(tx)) return std::nullopt;
  const pqxx::result r = tx.exec_params(
      "SELECT to_jsonb(c)::text FROM contacts c WHERE c.tenant_id = $1 AND c.id::text = $2",
      tenant, contact_id);
  if (r.empty()) return std::nullopt;
  return to_contact(r[0][0].as<std::string>());
}

std::optional<ContactInfo> find_contact_by_address(pqxx::transaction_base& tx,
                                                   const std::string& tenant,
                                                   const std::string& channel,
                                                   const std::string& address) {
  if (!contacts_table_exists(tx)) return std::nullopt;
  // Phones are compared by their digits so "+1 206-555-0100" in a contact matches.
  const pqxx::result r = tx.exec_params(
      std::string("SELECT to_jsonb(c)::text FROM contacts c WHERE c.tenant_id = $1 AND ") +
          (channel == "email"
               ? "lower(to_jsonb(c)->>'email') = $2"
               : "regexp_replace(coalesce(to_jsonb(c)->>'phone', ''), '[^0-9+]', '', 'g') = $2") +
          " ORDER BY to_jsonb(c)->>'updated_at' DESC NULLS LAST LIMIT 1",
      tenant, address);
  if (r.empty()) return std::nullopt;
  return to_contact(r[0][0].as<std::string>());
}

}  // namespace reos::messaging
