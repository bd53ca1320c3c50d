#include "webhooks/message_event_seam.hpp"

#include <stdexcept>

// host/messaging lands in parallel with this module; the seam switches on by itself when its
// header appears (it is added to reos_host together with its source).
#if __has_include("messaging/message_events.hpp")
#include "messaging/message_events.hpp"
#define REOS_WEBHOOKS_HAVE_MESSAGING 1
#else
#define REOS_WEBHOOKS_HAVE_MESSAGING 0
#endif

namespace reos::webhooks {

bool message_events_available() {
  return REOS_WEBHOOKS_HAVE_MESSAGING != 0;
}

void apply_message_event([[maybe_unused]] pqxx::transaction_base& tx,
                         [[maybe_unused]] const queue::JobQueue& queue,
                         [[maybe_unused]] const std::string& tenant,
                         [[maybe_unused]] const std::string& connector,
                         [[maybe_unused]] const std::string& event_json) {
#if REOS_WEBHOOKS_HAVE_MESSAGING
  messaging::apply_message_event(tx, queue, tenant, connector, event_json);
#else
  throw std::logic_error("message events need host/messaging, which this build lacks");
#endif
}

}  // namespace reos::webhooks
