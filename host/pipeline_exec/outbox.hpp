#pragma once

// The `outbox` table: one row per outside side effect (a notification, an export), keyed by
// the sink job's idempotency key. It is what makes a notification happen at most once
// (docs/job-queue.md, "Side effects at most once"). Each function is one short transaction
// in the tenant's scope; none is held open across a provider call.

#include <cstdint>
#include <string>

namespace reos::db {
class ConnectionPool;
}

namespace reos::pipeline_exec {

/// What the sink handler may do after begin_send().
enum class OutboxDecision {
  send,             ///< the row is now 'sending' and this attempt owns it: call the provider
  already_sent,     ///< 'sent' earlier: complete the job without calling the provider
  unknown_outcome,  ///< an earlier attempt stopped while 'sending': marked 'failed', do not send
};

/// The message kept as last_error when a notifier's outcome is unknown.
inline constexpr const char* kUnknownOutcome =
    "unknown outcome: the worker stopped after handing the message to the provider; reconcile "
    "via provider events or replay explicitly";

struct OutboxBegin {
  OutboxDecision decision = OutboxDecision::send;
  std::string provider_id;  ///< for already_sent
  int attempts = 0;         ///< provider calls started, this one included
};

/// Identifies one side effect.
struct OutboxKey {
  std::string tenant;
  std::string idempotency_key;
  std::string kind;       ///< "notify" or "export"
  std::string connector;  ///< target connector
};

/// Marks the row 'sending' (inserting it if absent) and says whether to call the provider.
/// A row found 'sending' (an earlier attempt died after or during the provider call): when
/// `resend_unknown` (exporters, idempotent by key) the call is made again; otherwise the row
/// becomes 'failed' with kUnknownOutcome. 'pending' and 'failed' rows (a retry, an explicit
/// replay) are sent.
OutboxBegin begin_send(db::ConnectionPool& pool, const OutboxKey& key, std::int64_t job_id,
                       bool resend_unknown);

/// 'sending' → 'sent' with the provider's id.
void mark_sent(db::ConnectionPool& pool, const OutboxKey& key, const std::string& provider_id);
/// 'sending' → 'pending' (the provider said RETRY) or 'failed' (FAIL/INVALID), with `error`.
void mark_unsent(db::ConnectionPool& pool, const OutboxKey& key, bool failed,
                 const std::string& error);

}  // namespace reos::pipeline_exec
