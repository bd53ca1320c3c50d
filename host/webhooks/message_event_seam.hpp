#pragma once

// The one place the inbox reaches into host/messaging. Message events (SendGrid, Twilio:
// schemas/message_event.json) are applied by messaging::apply_message_event; until that
// module is part of the build, message_events_available() is false and the processor leaves
// those events pending (its job waits and retries) instead of losing them.

#include <string>

namespace pqxx {
class transaction_base;
}
namespace reos::queue {
class JobQueue;
}

namespace reos::webhooks {

/// True when this build contains messaging::apply_message_event.
bool message_events_available();

/// Applies one MessageEvent in `tx` (messaging::apply_message_event). Throws std::logic_error
/// when !message_events_available().
void apply_message_event(pqxx::transaction_base& tx, const queue::JobQueue& queue,
                         const std::string& tenant, const std::string& connector,
                         const std::string& event_json);

}  // namespace reos::webhooks
