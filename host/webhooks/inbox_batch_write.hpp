#pragma once

// The SQL of one inbox group commit, separate from the threading around it.

#include <vector>

#include "webhooks/inbox_entry.hpp"

namespace pqxx {
class connection_base;
}
namespace reos::queue {
class JobQueue;
}

namespace reos::webhooks {

/// The job kind that processes the new events of inbox requests (inbox_processor.hpp):
/// payload {"request_ids": [n, …]}, all of one tenant connector, one job per group commit.
inline constexpr const char* kWebhookProcess = "webhook.process";

/// Writes `entries` with one statement that is its own transaction on `conn` (committed when
/// this returns): a webhook_requests row each, their events (a provider event id already
/// stored for the tenant and connector is skipped and counted as a duplicate), and one
/// webhook.process job per tenant connector for the requests that got a new pending event
/// (a plain `jobs` row: queued, due now, `queue`'s max_attempts for the kind). Receipts in
/// input order. Throws (and stores nothing) on any error.
std::vector<InboxReceipt> write_inbox_batch(pqxx::connection_base& conn,
                                            const std::vector<const InboxEntry*>& entries,
                                            const queue::JobQueue& queue);

}  // namespace reos::webhooks
