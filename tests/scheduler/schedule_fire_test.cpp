// Firing due schedules with explicit instants: one source.pull job per slot, missed slots
// collapse into one run, concurrent firers (own connections, as separate processes would have)
// fire each slot exactly once.
#include <gtest/gtest.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <thread>

#include "queue/job_queue.hpp"
#include "scheduler/schedule_store.hpp"
#include "scheduler_test_support.hpp"

namespace reos::scheduler {
namespace {

using std::chrono::hours;
using test::hub_with;
using test::utc;

class ScheduleFire : public ::testing::Test {
 protected:
  void SetUp() override {
    sync_schedules_from_config(conn_, hub_with("acme", {{"listings", "mls", "every 4h"}}),
                               utc("2024-01-15 10:07"));
  }
  std::vector<FiredSchedule> fire(const std::string& at) {
    return fire_due_schedules(conn_, queue_, utc(at));
  }
  ScheduleRow mls() { return list_schedules(conn_).at(0); }
  void exec(const std::string& sql) {
    pqxx::work tx(conn_);
    tx.exec(sql);
    tx.commit();
  }
  std::int64_t jobs() { return db_.scalar("SELECT count(*) FROM jobs WHERE kind = 'source.pull'"); }

  test::SchedulerDatabase db_;
  pqxx::connection conn_{db_.conninfo()};
  const queue::JobQueue queue_;
};

TEST_F(ScheduleFire, NothingFiresBeforeTheSlotThenOneSourcePullJob) {
  EXPECT_TRUE(fire("2024-01-15 11:59:59").empty());
  EXPECT_EQ(jobs(), 0);

  const auto fired = fire("2024-01-15 12:00:02");
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_TRUE(fired[0].job_created);
  EXPECT_EQ(fired[0].plan.slot, utc("2024-01-15 12:00"));
  EXPECT_EQ(fired[0].plan.next, utc("2024-01-15 16:00"));

  const auto job = queue_.find(conn_, fired[0].job_id);
  ASSERT_TRUE(job.has_value());
  EXPECT_EQ(job->tenant_id, "acme");
  EXPECT_EQ(job->kind, "source.pull");
  EXPECT_EQ(nlohmann::json::parse(job->payload_json),
            (nlohmann::json{{"tenant", "acme"}, {"pipeline", "listings"}, {"connector", "mls"}}));
  EXPECT_EQ(job->idempotency_key, "schedule:acme:listings:mls:2024-01-15T12:00:00Z");
  EXPECT_EQ(job->correlation_id, job->idempotency_key);

  const ScheduleRow row = mls();
  EXPECT_EQ(row.next_run_at, utc("2024-01-15 16:00"));
  EXPECT_EQ(row.last_slot, utc("2024-01-15 12:00"));
  EXPECT_EQ(row.last_fired_at, utc("2024-01-15 12:00:02"));

  EXPECT_TRUE(fire("2024-01-15 15:59:59").empty()) << "the slot fired once";
  EXPECT_EQ(jobs(), 1);
}

TEST_F(ScheduleFire, AfterDowntimeOfFiveSlotsItRunsOnce) {
  // Down from 10:07 until 06:00 the next day: 12:00, 16:00, 20:00, 00:00 and 04:00 missed.
  const auto fired = fire("2024-01-16 06:00");
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(fired[0].plan.skipped, 4) << "12:00 runs; 16:00, 20:00, 00:00, 04:00 fold into it";
  EXPECT_EQ(jobs(), 1);
  EXPECT_EQ(mls().next_run_at, utc("2024-01-16 08:00"));
  for (const char* at : {"2024-01-16 06:00", "2024-01-16 06:00:30", "2024-01-16 07:59:59"})
    EXPECT_TRUE(fire(at).empty()) << at;
  EXPECT_EQ(jobs(), 1) << "one run for the whole downtime";

  EXPECT_EQ(fire("2024-01-16 08:00").size(), 1u);
  EXPECT_EQ(jobs(), 2) << "then on schedule again";
}

TEST_F(ScheduleFire, ConcurrentFirersFireEachSlotExactlyOnce) {
  std::vector<test::SourceDef> sources;
  for (int i = 0; i < 8; ++i) sources.push_back({"bulk", "c" + std::to_string(i), "every 1h"});
  sync_schedules_from_config(conn_, hub_with("beta", sources), utc("2024-01-15 10:07"));
  constexpr int kFirers = 4;
  constexpr int kRounds = 5;
  std::vector<std::unique_ptr<pqxx::connection>> conns;
  for (int i = 0; i < kFirers; ++i)
    conns.push_back(std::make_unique<pqxx::connection>(db_.conninfo()));
  std::atomic<std::int64_t> fired{0};
  std::atomic<std::int64_t> duplicates{0};
  for (int round = 0; round < kRounds; ++round) {
    const TimePoint at = utc("2024-01-15 11:00:01") + hours(round);
    std::atomic<bool> go{false};
    std::vector<std::thread> firers;
    for (int i = 0; i < kFirers; ++i) {
      firers.emplace_back([&, i] {
        while (!go.load()) std::this_thread::yield();
        for (const FiredSchedule& f : fire_due_schedules(*conns[i], queue_, at)) {
          if (f.key.tenant != "beta") continue;
          ++fired;
          if (!f.job_created) ++duplicates;
        }
      });
    }
    go = true;
    for (std::thread& t : firers) t.join();
  }
  EXPECT_EQ(fired.load(), 8 * kRounds) << "a slot fired more than once, or not at all";
  EXPECT_EQ(duplicates.load(), 0);
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM jobs WHERE tenant_id = 'beta'"), 8 * kRounds);
  EXPECT_EQ(db_.scalar("SELECT count(DISTINCT idempotency_key) FROM jobs WHERE tenant_id = 'beta'"),
            8 * kRounds);
}

TEST_F(ScheduleFire, IdempotencyKeyIsASecondLineOfDefence) {
  ASSERT_EQ(fire("2024-01-15 12:00:01").size(), 1u);
  // Simulate a double fire (say, a row put back by hand): the slot's job already exists.
  exec("UPDATE schedules SET next_run_at = '2024-01-15 12:00:00+00'");
  const auto again = fire("2024-01-15 12:00:05");
  ASSERT_EQ(again.size(), 1u);
  EXPECT_FALSE(again[0].job_created);
  EXPECT_EQ(jobs(), 1);
}

TEST_F(ScheduleFire, StoredSpecThatDoesNotParseIsSkippedNotFatal) {
  exec("UPDATE schedules SET spec = 'every fortnight'");
  EXPECT_TRUE(fire("2024-01-15 12:00:01").empty());
  EXPECT_EQ(jobs(), 0);
  EXPECT_EQ(mls().next_run_at, utc("2024-01-15 12:00")) << "left as it was";
}

TEST_F(ScheduleFire, EarliestNextRunIgnoresDisabledSchedules) {
  EXPECT_EQ(earliest_next_run(conn_), utc("2024-01-15 12:00"));
  exec("UPDATE schedules SET enabled = false");
  EXPECT_FALSE(earliest_next_run(conn_).has_value());
  EXPECT_TRUE(fire("2024-01-16 12:00").empty());
}

}  // namespace
}  // namespace reos::scheduler
