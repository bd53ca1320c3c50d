#pragma once

// The forward-only order of a message's status (docs/messaging.md, "Status"):
//   queued < sent < delivered < bounced | failed < opened < clicked < replied < suppressed
// A status is applied only when it ranks above the current one, so provider events may arrive
// in any order (a late `delivered` never overwrites `opened`; Twilio's callbacks race).

#include <string_view>

namespace reos::messaging {

/// The status's place in the order; -1 for a name that is not a status.
int status_rank(std::string_view status);

/// The status a MessageEvent type moves its message to, or "" when the type only adds to the
/// timeline (deferred, spam_reported, unsubscribed, …).
std::string_view status_for_event(std::string_view type);

/// The messages column that keeps when `status` was first reached ("sent_at", …); "" for
/// "queued" (queued_at is set on insert) and unknown names.
std::string_view status_time_column(std::string_view status);

}  // namespace reos::messaging
