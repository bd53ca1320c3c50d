#include "scheduler/scheduler.hpp"

#include <algorithm>
#include <pqxx/pqxx>

#include "config/hub_config.hpp"
#include "db/connection_pool.hpp"
#include "log/logger.hpp"
#include "scheduler/schedule_store.hpp"
#include "scheduler/scheduler_metrics.hpp"

namespace reos::scheduler {
namespace {

using std::chrono::milliseconds;

// When the earliest schedule was due at this pass yet did not fire (its stored spec does not
// parse), look again after this rather than spinning.
constexpr milliseconds kStuckWait{1000};

milliseconds until(TimePoint from, TimePoint to) {
  if (to <= from) return milliseconds(0);
  return std::chrono::ceil<milliseconds>(to - from);
}

void log_fired(const FiredSchedule& f) {
  log::info("schedule fired", {{"tenant", f.key.tenant},
                               {"pipeline", f.key.pipeline},
                               {"connector", f.key.connector},
                               {"slot", iso_utc(f.plan.slot)},
                               {"next", iso_utc(f.plan.next)},
                               {"skipped_slots", std::to_string(f.plan.skipped)},
                               {"job_id", std::to_string(f.job_id)},
                               {"job_created", f.job_created ? "true" : "false"}});
}

}  // namespace

Scheduler::Scheduler(std::string conninfo, const queue::JobQueue& queue,
                     http::MetricsRegistry* metrics, SchedulerOptions options)
    : conninfo_(std::move(conninfo)), queue_(queue), options_(std::move(options)) {
  if (metrics) metrics_ = std::make_unique<SchedulerMetrics>(*metrics);
  options_.batch_size = std::max(options_.batch_size, 1);
}

Scheduler::~Scheduler() {
  stop();
}

void Scheduler::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable() || stopping_) return;
  thread_ = std::thread([this] { run(); });
}

void Scheduler::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

Scheduler::Stats Scheduler::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

TimePoint Scheduler::now() const {
  return options_.clock ? options_.clock() : Clock::now();
}

bool Scheduler::wait_for(milliseconds d) {
  std::unique_lock lock(mutex_);
  wake_.wait_for(lock, d, [this] { return stopping_; });
  return !stopping_;
}

milliseconds Scheduler::pass(pqxx::connection_base& conn) {
  const TimePoint at = now();
  const std::vector<FiredSchedule> fired =
      fire_due_schedules(conn, queue_, at, options_.batch_size);
  for (const FiredSchedule& f : fired) {
    log_fired(f);
    if (metrics_) metrics_->record(f);
  }
  {
    std::lock_guard lock(mutex_);
    stats_.fired += fired.size();
    ++stats_.passes;
  }
  if (fired.size() >= static_cast<std::size_t>(options_.batch_size)) return milliseconds(0);
  const std::optional<TimePoint> earliest = earliest_next_run(conn);
  if (!earliest) return options_.max_sleep;
  // Due at this pass yet not fired: skipped (bad spec) — a race lost to another process
  // would have moved next_run_at past `at`.
  if (*earliest <= to_db_precision(at)) return std::min(kStuckWait, options_.max_sleep);
  return std::min(until(now(), *earliest), options_.max_sleep);
}

void Scheduler::run() {
  db::ConnectionPtr conn;
  bool failing = false;
  for (;;) {
    milliseconds wait = options_.retry_delay;
    try {
      if (!conn) conn = db::connect(conninfo_);
      wait = pass(*conn);
      if (failing) log::info("scheduler recovered");
      failing = false;
    } catch (const std::exception& e) {
      conn.reset();  // reconnect on the next pass; nothing half-done survives a rollback
      {
        std::lock_guard lock(mutex_);
        ++stats_.errors;
      }
      if (!failing) log::warn("scheduler: database error, retrying", {{"error", e.what()}});
      failing = true;
    }
    if (!wait_for(wait)) break;
  }
}

std::unique_ptr<Scheduler> start_scheduler(const config::HubConfig& hub,
                                           const queue::JobQueue& queue,
                                           http::MetricsRegistry* metrics,
                                           SchedulerOptions options) {
  const std::string conninfo = hub.database.conninfo();
  {
    db::ConnectionPtr conn = db::connect(conninfo);
    const TimePoint at = options.clock ? options.clock() : Clock::now();
    const ScheduleSyncResult r = sync_schedules_from_config(*conn, hub, at);
    log::info("schedules loaded from config", {{"inserted", std::to_string(r.inserted)},
                                               {"rescheduled", std::to_string(r.rescheduled)},
                                               {"unchanged", std::to_string(r.unchanged)},
                                               {"disabled", std::to_string(r.disabled)}});
  }
  auto scheduler = std::make_unique<Scheduler>(conninfo, queue, metrics, std::move(options));
  scheduler->start();
  return scheduler;
}

}  // namespace reos::scheduler
