#pragma once

// Group commit for the webhook inbox. A request thread calls commit() and blocks; writer
// threads (each with its own connection) take every entry waiting at that moment and write
// them in ONE transaction — request rows, event rows (duplicates skipped by the unique
// provider event id) and one webhook.process job per request with new events — then wake the
// callers. A 2xx therefore still means "committed", while one fsync covers many requests.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "webhooks/inbox_entry.hpp"

namespace pqxx {
class connection_base;
}
namespace reos::http {
class MetricsRegistry;
class Histogram;
}  // namespace reos::http
namespace reos::queue {
class JobQueue;
}

namespace reos::webhooks {

struct InboxWriterOptions {
  std::string conninfo;         ///< the hub's database (the owning role: batches span tenants)
  int writers = 2;              ///< writer threads = connections
  std::size_t max_batch = 512;  ///< entries per transaction at most
};

/// Thread-safe. `queue` and `metrics` must outlive the writer.
class InboxWriter {
 public:
  InboxWriter(InboxWriterOptions options, const queue::JobQueue& queue,
              http::MetricsRegistry* metrics);
  /// Stops the writers after the batches in flight; entries still waiting fail.
  ~InboxWriter();
  InboxWriter(const InboxWriter&) = delete;
  InboxWriter& operator=(const InboxWriter&) = delete;

  /// Blocks until `entry` is committed and returns what happened to its events. Throws
  /// std::runtime_error when it could not be committed (nothing of it is stored then).
  InboxReceipt commit(InboxEntry entry);

 private:
  struct Pending;
  void run();
  void write(pqxx::connection_base& conn, const std::vector<Pending*>& batch);

  InboxWriterOptions options_;
  const queue::JobQueue& queue_;
  http::Histogram* batch_sizes_ = nullptr;     ///< entries per transaction
  http::Histogram* commit_seconds_ = nullptr;  ///< one group commit's duration
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Pending*> waiting_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace reos::webhooks
