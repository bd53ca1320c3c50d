#pragma once

// Group commit for the webhook inbox. A request thread calls commit() and blocks; writer
// threads (each with its own connection) take the entries waiting and write them in ONE
// transaction — request rows, event rows (duplicates skipped by the unique provider event id)
// and one webhook.process job per tenant connector with new events — then wake the callers.
// A 2xx therefore still means "committed", while one fsync covers many requests.
//
// Requests being verified announce themselves (Arrival). Under load — requests announced, or
// the previous group had more than one entry — a writer waits `max_wait` before it takes the
// queue, so each transaction covers the requests in flight instead of whichever 1–2 happened
// to be queued (PostgreSQL's CPU per request roughly halves); an idle hub never waits, and no
// request waits more than `max_wait` for its group to form. docs/webhooks.md has the figures.

#include <chrono>
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
  std::string conninfo;  ///< the hub's database (the owning role: batches span tenants)
  /// Writer threads = connections. The second one only takes a group while the first is
  /// busy and at least `parallel_events` events wait (see may_start()).
  int writers = 2;
  std::size_t max_batch = 512;  ///< entries per transaction at most
  /// How long a writer under load lets a group form before it takes the queue.
  std::chrono::microseconds max_wait{2000};
  std::size_t parallel_events = 256;
  /// A group commit still running after this (a slow WAL flush on a busy disk) no longer
  /// holds the queue: the other writer takes what has gathered, so one stalled flush does not
  /// set every waiting request's latency.
  std::chrono::microseconds stall_after{8000};
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

  /// A request that will probably call commit() soon (it is being verified). Movable RAII:
  /// it counts while alive and until passed to commit().
  class Arrival {
   public:
    explicit Arrival(InboxWriter& writer);
    ~Arrival();
    Arrival(Arrival&& other) noexcept;
    Arrival(const Arrival&) = delete;
    Arrival& operator=(const Arrival&) = delete;
    Arrival& operator=(Arrival&&) = delete;

   private:
    friend class InboxWriter;
    InboxWriter* writer_;
  };

  /// Blocks until `entry` is committed and returns what happened to its events. Throws
  /// std::runtime_error when it could not be committed (nothing of it is stored then).
  /// `arrival`, when given, is the announcement of this request (it ends here).
  InboxReceipt commit(InboxEntry entry, Arrival* arrival = nullptr);

 private:
  struct Pending;
  void run();
  void depart();  ///< an announced request will not call commit() after all
  /// With `mutex_` held: wake the writer that should see the new state, if any.
  void notify_writers();
  /// With `mutex_` held: whether an idle writer should take a group now.
  bool may_start() const;
  static std::size_t weight(const Pending& p);  ///< its events (at least 1)
  void write(pqxx::connection_base& conn, const std::vector<Pending*>& batch);

  InboxWriterOptions options_;
  const queue::JobQueue& queue_;
  http::Histogram* batch_sizes_ = nullptr;     ///< entries per transaction
  http::Histogram* commit_seconds_ = nullptr;  ///< one group commit's duration
  std::mutex mutex_;
  std::condition_variable wake_;      ///< idle writers: something is waiting
  std::condition_variable gathered_;  ///< the gathering writer: the announced have arrived
  std::deque<Pending*> waiting_;
  std::size_t announced_ = 0;  ///< Arrivals alive that have not reached commit()
  int idle_writers_ = 0;
  bool gathering_ = false;
  std::size_t last_batch_ = 0;                             ///< entries of the latest group taken
  std::size_t waiting_events_ = 0;                         ///< events of the entries in `waiting_`
  std::chrono::steady_clock::time_point write_started_{};  ///< when the latest group began
  int writing_ = 0;                                        ///< writers inside a transaction
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace reos::webhooks
