#pragma once

// What the webhook route hands to the inbox: one verified request and the events its plugin
// emitted, already classified (pending or failed with a reason). Plain types only.

#include <cstdint>
#include <string>
#include <vector>

namespace reos::webhooks {

/// One emitted event. `failure` empty: stored pending (to be processed); otherwise stored
/// failed with that reason and never processed.
struct InboxEvent {
  std::string provider_event_id;  ///< "" when the plugin gave none (then no de-duplication)
  std::string payload_json;       ///< the event as a JSON object; "" when it was not one
  std::string failure;
};

/// One verified webhook request as it is committed to `webhook_requests`.
struct InboxEntry {
  std::string tenant_id;
  std::string connector_id;
  std::string method;
  std::string url;           ///< the public URL the plugin verified against
  std::string headers_json;  ///< the headers kept for audit, as a JSON object
  std::string body;          ///< raw bytes
  std::string request_id;    ///< X-Request-Id
  /// Not empty: the plugin verified the request but could not use it (REOS_FAIL); the
  /// request is kept as failed with this reason and has no events.
  std::string failure;
  std::vector<InboxEvent> events;
};

/// What the commit did with an entry's events.
struct InboxReceipt {
  std::int64_t request_row = 0;  ///< webhook_requests.id
  int accepted = 0;              ///< new events stored pending (a webhook.process job follows)
  int duplicates = 0;            ///< provider event ids already in the inbox: acknowledged only
  int failed = 0;                ///< new events stored failed with their reason
};

}  // namespace reos::webhooks
