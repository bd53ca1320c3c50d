#pragma once

// The `schedules` table (migrations/0004_schedules.sql): sync from config, and firing that is
// safe when several `reos serve` processes share the database (docs/scheduler.md).
//
// Every call takes the instant to treat as "now" from the caller (the scheduler's clock), and
// runs on the connection the caller passes, as the owning role (cross-tenant system work).
// Database errors propagate as libpqxx's std::exception subclasses.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "scheduler/schedule_slot.hpp"

namespace pqxx {
class connection_base;
}

namespace reos::config {
struct HubConfig;
}

namespace reos::queue {
class JobQueue;
}

namespace reos::scheduler {

/// One row of `schedules`.
struct ScheduleRow {
  ScheduleKey key;
  std::string spec;
  TimePoint next_run_at;
  std::optional<TimePoint> last_fired_at;
  std::optional<TimePoint> last_slot;
  bool enabled = true;
};

/// What sync_schedules_from_config() changed.
struct ScheduleSyncResult {
  int inserted = 0;     ///< sources seen for the first time
  int rescheduled = 0;  ///< spec changed or switched back on: next_run_at recomputed
  int unchanged = 0;    ///< same spec, same state: next_run_at kept (a restart loses no slot)
  int disabled = 0;     ///< removed from config, or pipeline/connector switched off
};

/// Makes the schedules of every tenant in `hub` match its pipelines' sources, in one
/// transaction (serialized across processes by an advisory lock):
/// - a new source gets next_run_at = its first slot after `now`;
/// - a changed spec, or a schedule switched back on, gets next_run_at recomputed from `now`
///   (never at or before its last slot);
/// - an unchanged one keeps next_run_at, so a slot due during a restart still runs, once;
/// - a source no longer in config, or whose pipeline or connector is disabled, is disabled
///   (kept, never deleted).
/// Tenants present only in the database are left alone (like db::sync_tenants_from_config).
/// The tenants must already exist (run db::sync_tenants_from_config first).
ScheduleSyncResult sync_schedules_from_config(pqxx::connection_base& conn,
                                              const config::HubConfig& hub, TimePoint now);

/// One run a firing enqueued.
struct FiredSchedule {
  ScheduleKey key;
  FirePlan plan;             ///< slot, next, skipped
  TimePoint fired_at;        ///< the `now` it fired at
  std::int64_t job_id = 0;   ///< the `source.pull` job
  bool job_created = false;  ///< false: a job with the same idempotency key existed
};

/// Fires every enabled schedule due at `now` (next_run_at <= now), up to `limit`, oldest
/// first. Per schedule, one transaction does a compare-and-set
/// `UPDATE … SET next_run_at = <plan.next> … WHERE <key> AND enabled AND next_run_at = <read>`
/// and, only if it changed the row, enqueues the `source.pull` job with the key
/// `schedule:<tenant>:<pipeline>:<connector>:<slot>`. A process that loses the race (another
/// fired the slot first) changes nothing. A schedule whose stored spec does not parse is
/// logged and skipped. Returns what this call fired.
std::vector<FiredSchedule> fire_due_schedules(pqxx::connection_base& conn,
                                              const queue::JobQueue& queue, TimePoint now,
                                              int limit = 100);

/// The earliest next_run_at of an enabled schedule, or nullopt when there is none.
std::optional<TimePoint> earliest_next_run(pqxx::connection_base& conn);

/// Every schedule row, by key (tests, admin views).
std::vector<ScheduleRow> list_schedules(pqxx::connection_base& conn);

}  // namespace reos::scheduler
