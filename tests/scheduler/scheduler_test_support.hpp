#pragma once

// Shared helpers of the scheduler tests: UTC instants from text, a tenant config built in
// code, a migrated database with tenants, and a clock the test moves by hand.

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "config/hub_config.hpp"
#include "scheduler/schedule_slot.hpp"
#include "support/test_database.hpp"

namespace reos::test {

/// "YYYY-MM-DD HH:MM[:SS]" in UTC.
scheduler::TimePoint utc(const std::string& text);

/// One pipeline source for hub_with().
struct SourceDef {
  std::string pipeline;
  std::string connector;
  std::string spec;
  bool pipeline_enabled = true;
  bool connector_enabled = true;
};

/// A hub config with tenant `tenant` whose pipelines pull from `sources` (the connectors are
/// declared from the sources; pipelines are grouped by id in order of appearance).
config::HubConfig hub_with(const std::string& tenant, const std::vector<SourceDef>& sources);

/// A fresh database at the current schema with tenants `acme` and `beta`.
class SchedulerDatabase {
 public:
  SchedulerDatabase();
  const std::string& conninfo() const { return conninfo_; }
  /// The first column of the first row of `sql`, as an integer.
  std::int64_t scalar(const std::string& sql) const;
  /// The first column of every row of `sql`, as text ("" for NULL).
  std::vector<std::string> column(const std::string& sql) const;

 private:
  TestDatabase db_;
  std::string conninfo_;
};

/// A clock that stands still until the test sets it. Thread-safe.
class ManualClock {
 public:
  explicit ManualClock(scheduler::TimePoint start) : now_(start.time_since_epoch().count()) {}
  scheduler::TimePoint now() const {
    return scheduler::TimePoint(scheduler::Clock::duration(now_.load()));
  }
  void set(scheduler::TimePoint t) { now_.store(t.time_since_epoch().count()); }

 private:
  std::atomic<scheduler::Clock::duration::rep> now_;
};

}  // namespace reos::test
