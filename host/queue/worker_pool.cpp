#include "queue/worker_pool.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "db/connection_pool.hpp"
#include "log/logger.hpp"
#include "queue/job_queue.hpp"
#include "queue/notification_listener.hpp"
#include "queue/queue_metrics.hpp"

namespace reos::queue {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr milliseconds kMaxReconnectBackoff{5000};

std::string default_owner_prefix() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return std::string(host[0] ? host : "host") + ":" + std::to_string(::getpid());
}

std::string random_token() {
  static const char digits[] = "0123456789abcdef";
  std::mt19937_64 engine{std::random_device{}()};
  std::string token;
  for (int i = 0; i < 8; ++i) token += digits[engine() % 16];
  return token;
}

void erase_ids(std::vector<std::int64_t>& from, const std::vector<std::int64_t>& ids) {
  from.erase(std::remove_if(from.begin(), from.end(),
                            [&](std::int64_t id) {
                              return std::find(ids.begin(), ids.end(), id) != ids.end();
                            }),
             from.end());
}

}  // namespace

// The jobs one worker has claimed and not yet finished, shared with the heartbeat.
struct WorkerSlot {
  std::string owner;
  std::mutex mutex;
  std::vector<std::int64_t> held;  ///< claimed, outcome not yet recorded
  std::set<std::int64_t> lost;     ///< held ids whose lease the heartbeat found taken over

  void hold(const std::vector<Job>& jobs) {
    std::lock_guard<std::mutex> lock(mutex);
    held.clear();
    lost.clear();
    for (const Job& job : jobs) held.push_back(job.id);
  }
  void forget(const std::vector<std::int64_t>& ids) {
    std::lock_guard<std::mutex> lock(mutex);
    erase_ids(held, ids);
  }
  void forget_all() {
    std::lock_guard<std::mutex> lock(mutex);
    held.clear();
    lost.clear();
  }
  bool is_lost(std::int64_t id) {
    std::lock_guard<std::mutex> lock(mutex);
    return lost.count(id) > 0;
  }
};

struct WorkerPool::Impl {
  const JobQueue& queue;
  WorkerPoolOptions options;
  std::map<std::string, JobHandler> handlers;
  std::vector<std::string> kinds;
  QueueMetrics metrics;

  // Wake-ups of idle workers: the listener bumps `generation`; a worker compares it with
  // the value it read before its last claim, so a notification that arrives between the
  // claim and the wait is not lost.
  std::mutex mutex;
  std::condition_variable wake;
  std::uint64_t generation = 0;
  bool stopping = false;
  std::atomic<bool> stop_requested{false};

  std::mutex maintenance_mutex;
  std::condition_variable maintenance_wake;
  bool maintenance_stop = false;

  std::vector<std::unique_ptr<WorkerSlot>> slots;
  std::vector<std::thread> workers;
  std::thread maintenance;
  std::unique_ptr<NotificationListener> listener;
  std::mutex lifecycle;  // serialises start() and stop()
  bool started = false;
  bool stopped = false;

  std::atomic<std::int64_t> claimed{0}, succeeded{0}, retried{0}, failed{0}, lease_lost{0},
      wakeups{0};

  Impl(const JobQueue& q, WorkerPoolOptions o) : queue(q), options(std::move(o)) {
    options.workers = std::max(1, options.workers);
    options.batch_size = std::max(1, options.batch_size);
    options.lease = std::max(milliseconds(100), options.lease);
    if (options.heartbeat_interval <= milliseconds(0)) {
      options.heartbeat_interval = options.lease / 3;
    }
    if (options.owner_prefix.empty()) options.owner_prefix = default_owner_prefix();
    if (options.metrics) metrics = QueueMetrics(*options.metrics);
  }

  void on_notify(const std::string& kind) {
    if (!kind.empty() && handlers.count(kind) == 0) return;  // another pool's kind
    {
      std::lock_guard<std::mutex> lock(mutex);
      ++generation;
    }
    wake.notify_all();
  }

  std::uint64_t current_generation() {
    std::lock_guard<std::mutex> lock(mutex);
    return generation;
  }

  // Sleeps up to `duration` unless stop() is called.
  void pause(milliseconds duration) {
    std::unique_lock<std::mutex> lock(mutex);
    wake.wait_for(lock, duration, [&] { return stopping; });
  }

  void idle_wait(pqxx::connection_base& conn, std::uint64_t seen) {
    const std::optional<milliseconds> next = queue.time_until_next_job(conn, kinds);
    // A job due now that claim() did not get is being claimed by another worker this
    // instant; look again shortly rather than sleeping the full interval.
    milliseconds wait =
        !next ? options.max_idle_wait : (*next <= milliseconds(0) ? milliseconds(10) : *next);
    wait = std::min(wait, options.max_idle_wait);
    std::unique_lock<std::mutex> lock(mutex);
    wake.wait_for(lock, wait, [&] { return stopping || generation != seen; });
    if (generation != seen) ++wakeups;
  }

  JobOutcome run_handler(const Job& job) {
    const JobHandler& handler = handlers.at(job.kind);
    log::ScopedContext correlation("correlation_id", job.correlation_id);
    log::ScopedContext tenant("tenant", job.tenant_id);
    metrics.handler_started();
    JobOutcome outcome;
    try {
      outcome = handler(job);
    } catch (const std::exception& e) {
      outcome = JobOutcome::retry(milliseconds(0), std::string("handler threw: ") + e.what());
    } catch (...) {
      outcome = JobOutcome::retry(milliseconds(0), "handler threw a non-standard exception");
    }
    metrics.handler_ended();
    return outcome;
  }

  void flush(pqxx::connection_base& conn, WorkerSlot& slot, std::vector<const Job*>& pending) {
    if (pending.empty()) return;
    std::vector<std::int64_t> ids;
    ids.reserve(pending.size());
    for (const Job* job : pending) ids.push_back(job->id);
    const std::vector<std::int64_t> done = queue.complete_many(conn, ids, slot.owner);
    for (const Job* job : pending) {
      const bool ok = std::find(done.begin(), done.end(), job->id) != done.end();
      metrics.finished(job->kind, ok ? "succeeded" : "lease_lost");
      if (!ok) {
        log::warn("queue: job finished after its lease was taken over; outcome discarded",
                  {{"job_id", std::to_string(job->id)}, {"kind", job->kind}});
      }
    }
    succeeded += static_cast<std::int64_t>(done.size());
    lease_lost += static_cast<std::int64_t>(pending.size() - done.size());
    slot.forget(ids);
    pending.clear();
  }

  void record_failure(pqxx::connection_base& conn, WorkerSlot& slot, const Job& job,
                      const JobOutcome& outcome) {
    const bool retryable = outcome.kind == JobOutcome::Kind::retry;
    const FailResult result =
        queue.fail(conn, job, slot.owner, outcome.message, retryable, outcome.retry_after);
    slot.forget({job.id});
    const char* label = "lease_lost";
    switch (result) {
      case FailResult::requeued:
        label = "retried";
        ++retried;
        break;
      case FailResult::failed:
        label = "failed";
        ++failed;
        break;
      case FailResult::dead:
        label = "dead";
        ++failed;
        break;
      case FailResult::not_owner:
        ++lease_lost;
        break;
    }
    metrics.finished(job.kind, label);
    log::warn("queue: job attempt failed", {{"job_id", std::to_string(job.id)},
                                            {"kind", job.kind},
                                            {"attempt", std::to_string(job.attempts)},
                                            {"result", label},
                                            {"error", outcome.message}});
  }

  // A job its handler did not attempt (JobOutcome::defer): back to the queue, attempt given
  // back, due after the requested delay.
  void record_deferral(pqxx::connection_base& conn, WorkerSlot& slot, const Job& job,
                       const JobOutcome& outcome) {
    const bool held = queue.defer(conn, job, slot.owner, outcome.retry_after, outcome.message);
    slot.forget({job.id});
    if (!held) ++lease_lost;
    metrics.finished(job.kind, held ? "deferred" : "lease_lost");
    log::info("queue: job deferred without using an attempt",
              {{"job_id", std::to_string(job.id)},
               {"kind", job.kind},
               {"delay_ms", std::to_string(outcome.retry_after.count())},
               {"reason", outcome.message}});
  }

  void run_batch(pqxx::connection_base& conn, WorkerSlot& slot, const std::vector<Job>& jobs) {
    slot.hold(jobs);
    struct Release {  // a batch abandoned by an exception is left to lease expiry
      WorkerSlot& slot;
      ~Release() { slot.forget_all(); }
    } release{slot};
    claimed += static_cast<std::int64_t>(jobs.size());
    for (const Job& job : jobs) metrics.claimed(job.kind, job.pickup_latency_s);

    std::vector<const Job*> pending;
    Clock::time_point first_pending{};
    std::size_t next = 0;
    for (; next < jobs.size() && !stop_requested.load(); ++next) {
      const Job& job = jobs[next];
      if (slot.is_lost(job.id)) {
        ++lease_lost;
        metrics.finished(job.kind, "lease_lost");
        continue;
      }
      const JobOutcome outcome = run_handler(job);
      if (outcome.kind == JobOutcome::Kind::ok) {
        if (pending.empty()) first_pending = Clock::now();
        pending.push_back(&job);
      } else if (outcome.kind == JobOutcome::Kind::defer) {
        record_deferral(conn, slot, job, outcome);
      } else {
        record_failure(conn, slot, job, outcome);
      }
      if (!pending.empty() && Clock::now() - first_pending >= options.completion_flush) {
        flush(conn, slot, pending);
      }
    }
    flush(conn, slot, pending);
    if (next < jobs.size()) {  // stopping: hand the unstarted rest back at once
      std::vector<std::int64_t> rest;
      for (std::size_t i = next; i < jobs.size(); ++i) rest.push_back(jobs[i].id);
      queue.release(conn, rest, slot.owner);
    }
  }

  void worker_main(WorkerSlot& slot) {
    db::ConnectionPtr conn;
    milliseconds backoff(100);
    while (!stop_requested.load()) {
      try {
        if (!conn) conn = db::connect(options.conninfo);
        const std::uint64_t seen = current_generation();
        const std::vector<Job> jobs =
            queue.claim(*conn, slot.owner, kinds, options.batch_size, options.lease);
        if (jobs.empty()) {
          idle_wait(*conn, seen);
        } else {
          run_batch(*conn, slot, jobs);
        }
        backoff = milliseconds(100);
      } catch (const std::exception& e) {
        log::warn("queue: worker lost its database connection; retrying",
                  {{"owner", slot.owner},
                   {"error", e.what()},
                   {"retry_ms", std::to_string(backoff.count())}});
        conn.reset();
        pause(backoff);
        backoff = std::min(backoff * 2, kMaxReconnectBackoff);
      }
    }
  }

  void heartbeat(pqxx::connection_base& conn) {
    for (const auto& slot : slots) {
      std::vector<std::int64_t> ids;
      {
        std::lock_guard<std::mutex> lock(slot->mutex);
        ids = slot->held;
      }
      if (ids.empty()) continue;
      const std::vector<std::int64_t> kept =
          queue.extend_leases(conn, ids, slot->owner, options.lease);
      erase_ids(ids, kept);
      std::lock_guard<std::mutex> lock(slot->mutex);
      for (std::int64_t id : ids) {
        if (std::find(slot->held.begin(), slot->held.end(), id) != slot->held.end()) {
          slot->lost.insert(id);
        }
      }
    }
  }

  void maintenance_main() {
    db::ConnectionPtr conn;
    Clock::time_point next_heartbeat = Clock::now() + options.heartbeat_interval;
    Clock::time_point next_recovery = Clock::now();
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(maintenance_mutex);
        maintenance_wake.wait_until(lock, std::min(next_heartbeat, next_recovery),
                                    [&] { return maintenance_stop; });
        if (maintenance_stop) return;
      }
      try {
        if (!conn) conn = db::connect(options.conninfo);
        if (Clock::now() >= next_heartbeat) {
          heartbeat(*conn);
          next_heartbeat = Clock::now() + options.heartbeat_interval;
        }
        if (Clock::now() >= next_recovery) {
          const int recovered = queue.recover_expired_leases(*conn);
          if (recovered > 0) {
            log::warn("queue: recovered jobs whose worker lease expired",
                      {{"jobs", std::to_string(recovered)}});
          }
          next_recovery = Clock::now() + options.recovery_interval;
        }
      } catch (const std::exception& e) {
        log::warn("queue: lease maintenance failed; retrying", {{"error", e.what()}});
        conn.reset();
        const Clock::time_point retry = Clock::now() + milliseconds(1000);
        next_heartbeat = std::max(next_heartbeat, retry);
        next_recovery = std::max(next_recovery, retry);
      }
    }
  }
};

WorkerPool::WorkerPool(const JobQueue& queue, WorkerPoolOptions options)
    : impl_(std::make_unique<Impl>(queue, std::move(options))) {}

WorkerPool::~WorkerPool() {
  stop();
}

void WorkerPool::register_handler(const std::string& kind, JobHandler handler) {
  std::lock_guard<std::mutex> lock(impl_->lifecycle);
  if (impl_->started) throw std::logic_error("queue: register handlers before start()");
  impl_->handlers[kind] = std::move(handler);
}

void WorkerPool::start() {
  Impl& d = *impl_;
  std::lock_guard<std::mutex> lifecycle(d.lifecycle);
  if (d.started) return;
  if (d.handlers.empty()) throw std::logic_error("queue: worker pool has no job handlers");
  d.kinds.clear();
  for (const auto& entry : d.handlers) d.kinds.push_back(entry.first);
  d.listener = std::make_unique<NotificationListener>(
      d.options.conninfo, "reos_jobs", [&d](const std::string& kind) { d.on_notify(kind); });
  d.listener->start();
  d.started = true;
  const std::string session = random_token();
  for (int i = 0; i < d.options.workers; ++i) {
    auto slot = std::make_unique<WorkerSlot>();
    slot->owner = d.options.owner_prefix + "/w" + std::to_string(i) + "/" + session;
    d.slots.push_back(std::move(slot));
  }
  for (auto& slot : d.slots) {
    WorkerSlot* s = slot.get();
    d.workers.emplace_back([&d, s] { d.worker_main(*s); });
  }
  d.maintenance = std::thread([&d] { d.maintenance_main(); });
}

void WorkerPool::stop() {
  Impl& d = *impl_;
  std::lock_guard<std::mutex> lifecycle(d.lifecycle);
  if (!d.started || d.stopped) return;
  d.stopped = true;
  {
    std::lock_guard<std::mutex> lock(d.mutex);
    d.stopping = true;
    d.stop_requested.store(true);
  }
  d.wake.notify_all();
  for (std::thread& t : d.workers) t.join();
  d.listener->stop();
  {
    std::lock_guard<std::mutex> lock(d.maintenance_mutex);
    d.maintenance_stop = true;
  }
  d.maintenance_wake.notify_all();
  d.maintenance.join();
}

WorkerPoolStats WorkerPool::stats() const {
  const Impl& d = *impl_;
  return WorkerPoolStats{d.claimed.load(), d.succeeded.load(),  d.retried.load(),
                         d.failed.load(),  d.lease_lost.load(), d.wakeups.load()};
}

}  // namespace reos::queue
