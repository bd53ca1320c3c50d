#pragma once

// Reads the contacts that messages go to (the `contacts` table of migrations/0011_contacts.sql)
// without depending on its exact columns: fields are read by name from the row as JSON, so a
// database without the table (or a column) simply finds nothing.

#include <optional>
#include <string>

namespace pqxx {
class transaction_base;
}

namespace reos::messaging {

/// What messaging uses of a contact.
struct ContactInfo {
  std::string id;
  std::string first_name;
  std::string last_name;
  std::string email;
  std::string phone;
  bool consent_email = false;  ///< absent or null counts as no consent
  bool consent_sms = false;
};

/// The contact `contact_id` of `tenant`, or nullopt (unknown id, malformed uuid, no table).
std::optional<ContactInfo> find_contact(pqxx::transaction_base& tx, const std::string& tenant,
                                        const std::string& contact_id);

/// The most recently updated contact whose email (channel "email", case-insensitive) or phone
/// (channel "sms", E.164-normalized) is `address`, or nullopt.
std::optional<ContactInfo> find_contact_by_address(pqxx::transaction_base& tx,
                                                   const std::string& tenant,
                                                   const std::string& channel,
                                                   const std::string& address);

}  // namespace reos::messaging
