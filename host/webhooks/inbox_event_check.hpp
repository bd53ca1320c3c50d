#pragma once

// Turns what a webhook plugin emitted into inbox events: pending, or failed with a reason
// (docs/webhooks.md, "Events"). Kept apart from the route so the rules read in one place.

#include <string>
#include <vector>

#include "webhooks/inbox_entry.hpp"

namespace reos::webhooks {

/// One InboxEvent per emitted text, in order. An event is failed (kept, never processed)
/// when it is not a JSON object, has no non-empty `provider_event_id` string (≤ 400 bytes,
/// no NUL), carries an `error` string (the plugin verified the request but could not use
/// it), or holds a \u0000 that PostgreSQL's jsonb cannot store.
std::vector<InboxEvent> check_emitted_events(const std::vector<std::string>& emitted);

}  // namespace reos::webhooks
