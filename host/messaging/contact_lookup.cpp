#include "messaging/contact_lookup.hpp"

#include <pqxx/pqxx>
#include <regex>

namespace reos::messaging {
namespace {

constexpr const char* kColumns =
    "SELECT id::text, first_name, last_name, coalesce(email, ''), coalesce(phone, ''),"
    "  consent_email, consent_sms FROM contacts WHERE tenant_id = $1 AND deleted_at IS NULL AND ";

std::optional<ContactInfo> to_contact(const pqxx::result& r) {
  if (r.empty()) return std::nullopt;
  const pqxx::row row = r[0];
  return ContactInfo{row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::string>(),
                     row[3].as<std::string>(), row[4].as<std::string>(), row[5].as<bool>(),
                     row[6].as<bool>()};
}

}  // namespace

std::optional<ContactInfo> find_contact(pqxx::transaction_base& tx, const std::string& tenant,
                                        const std::string& contact_id) {
  static const std::regex kUuid("^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$");
  if (!std::regex_match(contact_id, kUuid)) return std::nullopt;
  return to_contact(tx.exec_params(std::string(kColumns) + "id = $2::uuid", tenant, contact_id));
}

std::optional<ContactInfo> find_contact_by_address(pqxx::transaction_base& tx,
                                                   const std::string& tenant,
                                                   const std::string& channel,
                                                   const std::string& address) {
  const std::string where = channel == "email" ? "lower(email) = lower($2)" : "phone = $2";
  return to_contact(tx.exec_params(
      std::string(kColumns) + where + " ORDER BY updated_at DESC LIMIT 1", tenant, address));
}

}  // namespace reos::messaging
