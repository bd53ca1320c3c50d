#pragma once

// How messages and their events look in the API: SQL expressions that build the JSON in the
// database (one round trip per page), over `messages m` and `message_events e`.

#include <string>

namespace reos::messaging {

/// A jsonb expression for the message row `m` (without its timeline).
const std::string& message_json_sql();

/// A jsonb expression for the timeline entry `e`.
const std::string& message_event_json_sql();

}  // namespace reos::messaging
