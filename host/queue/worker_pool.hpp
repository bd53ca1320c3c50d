#pragma once

// Threads that run job handlers: each worker has its own database connection, claims
// batches of due jobs of the kinds it has handlers for, runs them, and records the outcome.
// Idle workers sleep on a condition variable until a NOTIFY on `reos_jobs`, the next job's
// run_at (capped) or stop() — never a busy poll. A maintenance thread extends the leases of
// jobs still being worked on (so a slow, healthy job is not taken over) and periodically
// returns expired leases of dead workers to the queue. docs/job-queue.md has the details.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "queue/job.hpp"

namespace reos::http {
class MetricsRegistry;
}

namespace reos::queue {

class JobQueue;

/// Runs one job. Returns ok, retry (with an optional retry-after) or fail (permanent). An
/// exception counts as a retryable failure with its what() as the error. Handlers run on
/// worker threads, several at once: they must be thread-safe. A handler may run more than
/// once for the same job (see docs/job-queue.md), so its side effects must be idempotent
/// (keyed by the job's idempotency key or id).
using JobHandler = std::function<JobOutcome(const Job&)>;

struct WorkerPoolOptions {
  std::string conninfo;  ///< libpq conninfo; each worker and helper thread opens its own
  int workers = 2;       ///< worker threads (hub.yaml workers.count)
  int batch_size = 64;   ///< jobs claimed per statement (hub.yaml queue.batch_size)
  std::chrono::milliseconds lease{30000};  ///< lease per claim (hub.yaml queue.lease_ms)
  /// Longest idle sleep when no queued job is due and no notification arrives.
  std::chrono::milliseconds max_idle_wait{5000};
  /// How often expired leases are recovered (every process does it; it is cheap and safe).
  std::chrono::milliseconds recovery_interval{5000};
  /// How often leases of claimed, unfinished jobs are extended; 0 = lease / 3.
  std::chrono::milliseconds heartbeat_interval{0};
  /// Successful completions are written in batches, at the latest this long after the
  /// first pending one (and always at the end of a claimed batch).
  std::chrono::milliseconds completion_flush{100};
  /// Prefix of lease-owner names ("<prefix>/w<N>/<random>"); "" = "<hostname>:<pid>".
  std::string owner_prefix;
  http::MetricsRegistry* metrics = nullptr;  ///< not owned; must outlive the pool
};

/// Counters since start(), for tests and the admin API.
struct WorkerPoolStats {
  std::int64_t claimed = 0;
  std::int64_t succeeded = 0;
  std::int64_t retried = 0;     ///< requeued after a retryable failure
  std::int64_t failed = 0;      ///< failed permanently or dead
  std::int64_t lease_lost = 0;  ///< outcome discarded: the lease had been taken over
  std::int64_t wakeups = 0;     ///< idle waits ended by a notification
};

/// Register handlers, then start(); stop() (or the destructor) stops claiming, lets running
/// handlers finish, gives unstarted claimed jobs back, and joins every thread.
/// register_handler() is not thread-safe and must precede start(); the rest is thread-safe.
class WorkerPool {
 public:
  /// `queue` must outlive the pool.
  WorkerPool(const JobQueue& queue, WorkerPoolOptions options);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  /// Jobs of `kind` go to `handler` (replacing an earlier one). Throws std::logic_error
  /// after start().
  void register_handler(const std::string& kind, JobHandler handler);

  /// Opens the listener connection (throws std::runtime_error when the database cannot be
  /// reached) and starts the threads. Workers connect in their threads and retry with
  /// backoff. Throws std::logic_error when no handler is registered.
  void start();

  /// Graceful stop; returns when every thread has ended. Idempotent.
  void stop();

  WorkerPoolStats stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace reos::queue
