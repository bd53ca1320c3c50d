#pragma once

// The pipeline scheduler as `reos serve` runs it (docs/scheduler.md): one thread per process
// that fires due schedules from the `schedules` table into `source.pull` jobs. Safe with any
// number of processes on one database: each slot fires once (compare-and-set on next_run_at,
// idempotency key per slot), and after downtime a schedule runs once, not once per missed slot.
//
// Wiring (serve_command.cpp), after the schema check and db::sync_tenants_from_config:
//
//   const queue::JobQueue job_queue(queue::backoff_policy_from_config(hub.queue));
//   auto scheduler = scheduler::start_scheduler(hub, job_queue, &metrics);
//   …serve…
//   scheduler.reset();  // before the queue and the metrics registry go away

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "scheduler/schedule_slot.hpp"

namespace pqxx {
class connection_base;
}
namespace reos::config {
struct HubConfig;
}
namespace reos::http {
class MetricsRegistry;
}
namespace reos::queue {
class JobQueue;
}

namespace reos::scheduler {

class SchedulerMetrics;

/// How the scheduler thread behaves; the defaults suit `reos serve`.
struct SchedulerOptions {
  /// The longest wait between two looks at the table, even when nothing is due sooner, so
  /// schedules another process synced (or a clock jump) are picked up.
  std::chrono::milliseconds max_sleep{5000};
  /// The wait after a database error before reconnecting.
  std::chrono::milliseconds retry_delay{1000};
  /// Schedules fired per statement batch; a full batch is followed by another at once.
  int batch_size = 100;
  /// The scheduler's notion of "now" (tests inject a manual clock); empty = system clock.
  /// Waits are computed from it but slept in real time, capped by max_sleep.
  std::function<TimePoint()> clock;
};

/// A running scheduler thread with its own database connection. Thread-safe.
class Scheduler {
 public:
  /// Counters since start (for logs and tests).
  struct Stats {
    std::uint64_t fired = 0;   ///< slots this process fired (won the compare-and-set)
    std::uint64_t passes = 0;  ///< looks at the table
    std::uint64_t errors = 0;  ///< database errors (each followed by a reconnect)
  };

  /// Does not start yet. `queue` and `metrics` (nullable) must outlive the scheduler.
  Scheduler(std::string conninfo, const queue::JobQueue& queue, http::MetricsRegistry* metrics,
            SchedulerOptions options = {});
  /// Stops the thread (see stop()).
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  /// Starts the thread. Calling it twice is a no-op.
  void start();
  /// Wakes the thread, lets a firing in progress commit, and joins. Idempotent.
  void stop();

  Stats stats() const;

 private:
  void run();
  /// Fires what is due and returns how long to wait before the next look.
  std::chrono::milliseconds pass(pqxx::connection_base& conn);
  TimePoint now() const;
  /// Waits up to `d` (real time) or until stop(); false when stopping.
  bool wait_for(std::chrono::milliseconds d);

  std::string conninfo_;
  const queue::JobQueue& queue_;
  SchedulerOptions options_;
  std::unique_ptr<SchedulerMetrics> metrics_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  Stats stats_;
  std::thread thread_;
};

/// Syncs the schedules from `hub`'s tenant config (sync_schedules_from_config, on a
/// connection of its own to hub.database.conninfo()), logs what changed, and starts a
/// Scheduler. Call it after the schema check and db::sync_tenants_from_config. Throws
/// (std::runtime_error or a libpqxx error) when the database cannot be reached.
std::unique_ptr<Scheduler> start_scheduler(const config::HubConfig& hub,
                                           const queue::JobQueue& queue,
                                           http::MetricsRegistry* metrics,
                                           SchedulerOptions options = {});

}  // namespace reos::scheduler
