#pragma once

// The part of message.send that runs in ONE transaction before any provider call
// (docs/messaging.md, "Sending"): lock the queued message, check the suppression list and
// consent at send time, render the templates, add the marketing footer and unsubscribe link,
// and build the notifier's input (schemas/message.json).

#include <cstdint>
#include <string>

namespace pqxx {
class transaction_base;
}

namespace reos::messaging {

struct TenantMessaging;

struct PreparedMessage {
  enum class Outcome {
    send,        ///< call the notifier with `notifier_json`
    done,        ///< no longer queued (sent, suppressed, failed earlier): nothing to do
    suppressed,  ///< not sent: the address is suppressed or lacks consent (row updated)
    failed,      ///< cannot be sent as configured (row marked failed with `error`)
  };
  Outcome outcome = Outcome::failed;
  std::string connector;
  std::string channel;
  std::string notifier_json;
  std::string error;
};

/// Prepares message `message_id` of `tenant.tenant_id` in `tx` (which must act for that
/// tenant); suppressed and failed outcomes are written to the row and its timeline in `tx`.
/// `now_unix` dates the unsubscribe token.
PreparedMessage prepare_message(pqxx::transaction_base& tx, const TenantMessaging& tenant,
                                const std::string& message_id, std::int64_t now_unix);

/// Sets `status` (and its first-reached time and `error`) when it ranks above the current one,
/// and adds the host timeline entry. Returns the status after.
std::string advance_status(pqxx::transaction_base& tx, const std::string& tenant,
                           const std::string& message_id, const std::string& status,
                           const std::string& error, const std::string& provider_message_id = "");

}  // namespace reos::messaging
