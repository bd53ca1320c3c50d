// A schedule fires once across several `reos serve` processes: three scheduler processes share
// one database for ~4 s with `every 1s` and `every 2s` sources; every slot that came due while
// they ran produced exactly one source.pull job, none twice, none skipped.
#include <gtest/gtest.h>

#include <memory>
#include <pqxx/pqxx>
#include <string>

#include "pipeline/schedule_spec.hpp"
#include "scheduler/schedule_store.hpp"
#include "scheduler_test_support.hpp"
#include "support/child_process.hpp"

namespace reos::scheduler {
namespace {

using std::chrono::milliseconds;
using test::BackgroundProcess;

// The N of the "fired N" line a scheduler_test_main process ends with, or -1.
long fired_count(const std::string& stderr_text) {
  const auto at = stderr_text.rfind("fired ");
  return at == std::string::npos ? -1 : std::stol(stderr_text.substr(at + 6));
}

// Slots of `spec` from `first` (inclusive) to `last` (inclusive).
std::vector<std::string> slots_between(const std::string& spec, TimePoint first, TimePoint last) {
  const auto parsed = pipeline::parse_schedule(spec);
  std::vector<std::string> out;
  for (TimePoint t = first; t <= last; t = parsed.next_after(t)) out.push_back(iso_utc(t));
  return out;
}

TEST(SchedulerProcesses, EachSlotFiresExactlyOnceAcrossThreeProcesses) {
  test::SchedulerDatabase db;
  pqxx::connection conn(db.conninfo());
  sync_schedules_from_config(
      conn,
      test::hub_with("acme", {{"listings", "fast", "every 1s"}, {"listings", "slow", "every 2s"}}),
      Clock::now());
  const std::vector<ScheduleRow> initial = list_schedules(conn);
  ASSERT_EQ(initial.size(), 2u);

  const TimePoint spawned = Clock::now();
  std::vector<std::unique_ptr<BackgroundProcess>> processes;
  for (int i = 0; i < 3; ++i) {
    processes.push_back(std::make_unique<BackgroundProcess>(
        std::vector<std::string>{SCHEDULER_TEST_MAIN, db.conninfo(), "4000"}));
  }
  long fired_by_processes = 0;
  for (auto& p : processes) {
    ASSERT_EQ(p->wait(std::chrono::seconds(20)), 0) << p->stderr_text();
    const long n = fired_count(p->stderr_text());
    ASSERT_GE(n, 0) << p->stderr_text();
    fired_by_processes += n;
  }
  const TimePoint exited = Clock::now();

  const auto jobs = db.scalar("SELECT count(*) FROM jobs WHERE kind = 'source.pull'");
  EXPECT_EQ(fired_by_processes, jobs)
      << "processes fired more slots than there are jobs: a slot fired twice (the idempotency "
         "key hid the duplicate job)";
  for (const ScheduleRow& row : initial) {
    SCOPED_TRACE(row.key.connector + " " + row.spec);
    const std::vector<std::string> keys =
        db.column("SELECT idempotency_key FROM jobs WHERE payload->>'connector' = '" +
                  row.key.connector + "' ORDER BY idempotency_key");
    std::vector<std::string> fired_slots;
    const std::string prefix = "schedule:acme:listings:" + row.key.connector + ":";
    for (const std::string& k : keys) {
      ASSERT_EQ(k.rfind(prefix, 0), 0u) << k;
      fired_slots.push_back(k.substr(prefix.size()));
    }
    ASSERT_FALSE(fired_slots.empty());
    // Consecutive slots from the first one on: none twice, none skipped.
    const auto parsed = pipeline::parse_schedule(row.spec);
    std::vector<std::string> expected;
    TimePoint t = row.next_run_at;
    for (std::size_t i = 0; i < fired_slots.size(); ++i, t = parsed.next_after(t))
      expected.push_back(iso_utc(t));
    EXPECT_EQ(fired_slots, expected);
    // Every slot due while the processes surely ran fired; none after they exited.
    const auto must = slots_between(row.spec, row.next_run_at, spawned + milliseconds(3000));
    EXPECT_GE(fired_slots.size(), must.size());
    const auto may = slots_between(row.spec, row.next_run_at, exited);
    EXPECT_LE(fired_slots.size(), may.size());
  }
}

}  // namespace
}  // namespace reos::scheduler
