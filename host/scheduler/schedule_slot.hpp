#pragma once

// The pure part of the scheduler (docs/scheduler.md): which slot a due schedule fires for,
// when it is due next, and how a firing is named. No database, no clock of its own — every
// instant is passed in, so the rules are tested with any time the tests choose.

#include <chrono>
#include <cstdint>
#include <string>

namespace reos::pipeline {
class ScheduleSpec;
}

namespace reos::scheduler {

using Clock = std::chrono::system_clock;
using TimePoint = Clock::time_point;

/// The job kind a firing enqueues (handled by host/pipeline_exec), payload
/// `{"tenant":…,"pipeline":…,"connector":…}`.
inline constexpr const char* kSourcePullKind = "source.pull";

/// Which pipeline source a schedule row belongs to (the `schedules` primary key).
struct ScheduleKey {
  std::string tenant;
  std::string pipeline;
  std::string connector;
};

/// What firing a due schedule does.
struct FirePlan {
  /// The slot this run stands for: the due instant that was read (next_run_at). Every
  /// process reads the same value, so it names the run identically everywhere.
  TimePoint slot;
  /// The new next_run_at: the first slot strictly after `now`. Every slot missed while no
  /// process ran (slot < s ≤ now) is covered by this one run — none fires on its own.
  TimePoint next;
  /// How many slots after `slot` and at or before `now` were folded into this run (0 when
  /// the scheduler was on time). Counted exactly for intervals; for cron up to 10,000.
  std::int64_t skipped = 0;
};

/// Plans the firing of a schedule whose next_run_at is `due`, at `now` (>= due).
/// Throws std::invalid_argument when `now < due` (not due yet).
FirePlan plan_fire(const pipeline::ScheduleSpec& spec, TimePoint due, TimePoint now);

/// next_run_at for a schedule that is new, changed its spec or was switched back on:
/// the first slot after `now`, but never at or before `last_slot` (the last run), so a
/// clock behind another host's can never make a slot run twice.
TimePoint first_due(const pipeline::ScheduleSpec& spec, TimePoint now,
                    TimePoint last_slot = TimePoint::min());

/// `t` truncated to whole microseconds (PostgreSQL's timestamptz resolution).
TimePoint to_db_precision(TimePoint t);
/// Microseconds since the Unix epoch, and back.
std::int64_t to_unix_micros(TimePoint t);
TimePoint from_unix_micros(std::int64_t micros);

/// ISO 8601 UTC text: `2024-01-15T12:00:00Z`, with `.ffffff` only when there are
/// sub-second microseconds (system_clock spans years 1677..2262, all four-digit).
std::string iso_utc(TimePoint t);
/// A timestamptz literal PostgreSQL parses exactly: `2024-01-15 12:00:00.000000+00`.
std::string pg_timestamp(TimePoint t);

/// The firing's job idempotency key: `schedule:<tenant>:<pipeline>:<connector>:<slot ISO>`
/// (ids cannot contain ':', so the key is unambiguous).
std::string idempotency_key(const ScheduleKey& key, TimePoint slot);

/// The `source.pull` payload: `{"tenant":…,"pipeline":…,"connector":…}`.
std::string pull_payload_json(const ScheduleKey& key);

}  // namespace reos::scheduler
