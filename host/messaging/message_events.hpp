#pragma once

// Applying provider events (schemas/message_event.json) to messages and suppressions; the
// webhook inbox's queue job calls this once per event (docs/messaging.md, "Events").

#include <string>

namespace pqxx {
class transaction_base;
}
namespace reos::queue {
class JobQueue;
}

namespace reos::messaging {

/// Applies one MessageEvent (schemas/message_event.json) in tx: status timeline, suppressions,
/// interaction.replied, HELP replies. Idempotent per provider_event_id.
void apply_message_event(pqxx::transaction_base& tx, const queue::JobQueue& queue,
                         const std::string& tenant, const std::string& connector,
                         const std::string& event_json);

}  // namespace reos::messaging
