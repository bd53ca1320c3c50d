#pragma once

// Creating messages (the API's POST, the automatic HELP reply) and writing their timeline.
// Every function runs in the caller's transaction, which must act for `tenant`.

#include <string>

namespace pqxx {
class transaction_base;
}
namespace reos::queue {
class JobQueue;
}

namespace reos::messaging {

/// The job kind that sends one message: payload {"message_id"}.
inline constexpr const char* kMessageSendJob = "message.send";

/// A message to create. `content_json` is a JSON object: {"data":{…}} for a template, or
/// {"subject","text","html"} inline; it may also carry "help_reply": true (docs/messaging.md).
struct NewMessage {
  std::string channel;    ///< "email" | "sms"
  std::string recipient;  ///< normalized (message_address.hpp)
  std::string recipient_name;
  std::string contact_id;     ///< "" for none
  std::string template_name;  ///< "" for inline content
  std::string connector;
  bool marketing = false;
  std::string content_json = "{}";
  /// De-duplicates creation: the same key returns the first message ("" = none).
  std::string idempotency_key;
  std::string correlation_id;  ///< follows the send job into its log lines
};

struct CreatedMessage {
  std::string id;
  bool created = false;  ///< false: an earlier message had the same idempotency key
};

/// Inserts the `queued` row, its first timeline entry and the message.send job (enqueued in
/// the same transaction, so the job exists exactly when the message does).
CreatedMessage create_message(pqxx::transaction_base& tx, const queue::JobQueue& queue,
                              const std::string& tenant, const NewMessage& message);

/// Appends a host-side timeline entry ("queued", "sent", "suppressed", "failed", …) keyed
/// "host:<message>:<type>", so repeating it is a no-op.
void add_host_event(pqxx::transaction_base& tx, const std::string& tenant,
                    const std::string& message_id, const std::string& connector,
                    const std::string& channel, const std::string& type,
                    const std::string& status_before, const std::string& status_after,
                    const std::string& detail_json = "{}");

}  // namespace reos::messaging
