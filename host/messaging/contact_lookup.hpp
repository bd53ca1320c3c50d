#pragma once

// Reads the contacts messages go to (`contacts`, migrations/0011_contacts.sql): names for the
// templates and the consent flags checked at send time. Deleted contacts are not found.

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
  bool consent_email = false;
  bool consent_sms = false;
};

/// The contact `contact_id` of `tenant`, or nullopt (unknown or deleted id, malformed uuid).
std::optional<ContactInfo> find_contact(pqxx::transaction_base& tx, const std::string& tenant,
                                        const std::string& contact_id);

/// The most recently updated live contact whose email (channel "email", case-insensitive) or
/// E.164 phone (channel "sms") is `address`, or nullopt.
std::optional<ContactInfo> find_contact_by_address(pqxx::transaction_base& tx,
                                                   const std::string& tenant,
                                                   const std::string& channel,
                                                   const std::string& address);

}  // namespace reos::messaging
