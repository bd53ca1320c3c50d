#pragma once

// The `suppressions` table (migrations/0014_messaging.sql): addresses a channel must not send
// to. Every function runs inside the caller's transaction, which must act for `tenant`
// (db::enter_tenant_scope) or as the owner. Addresses are passed already normalized
// (message_address.hpp).

#include <optional>
#include <string>

namespace pqxx {
class transaction_base;
}

namespace reos::messaging {

/// One suppression to add.
struct SuppressionEntry {
  std::string channel;     ///< "email" | "sms"
  std::string address;     ///< normalized
  std::string reason;      ///< bounced, spam_reported, unsubscribed, opted_out, manual, …
  std::string source;      ///< "webhook:<connector>", "unsubscribe_link", "api", …
  std::string message_id;  ///< the message that caused it, "" for none
  std::string detail;      ///< free text (a bounce reason), "" for none
};

/// Adds the suppression unless the address is already suppressed on that channel (the first
/// reason is kept). Returns true when a row was added.
bool add_suppression(pqxx::transaction_base& tx, const std::string& tenant,
                     const SuppressionEntry& entry);

/// Removes it; true when there was one.
bool remove_suppression(pqxx::transaction_base& tx, const std::string& tenant,
                        const std::string& channel, const std::string& address);

/// The reason the address is suppressed on `channel`, or nullopt when it may be sent to.
std::optional<std::string> suppression_reason(pqxx::transaction_base& tx, const std::string& tenant,
                                              const std::string& channel,
                                              const std::string& address);

}  // namespace reos::messaging
