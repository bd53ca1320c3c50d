// The scheduler thread: it sleeps until the earliest slot (not a fixed tick), runs a schedule
// once after downtime, records its metrics, survives database errors and stops promptly.
#include <gtest/gtest.h>

#include <pqxx/pqxx>
#include <thread>

#include "http/metrics_registry.hpp"
#include "http/prometheus_text.hpp"
#include "queue/job_queue.hpp"
#include "scheduler/scheduler.hpp"
#include "scheduler_test_support.hpp"

namespace reos::scheduler {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::steady_clock;
using test::utc;

// Polls `done` for up to `limit`.
template <class Done>
bool eventually(Done done, milliseconds limit = milliseconds(10000)) {
  const auto deadline = steady_clock::now() + limit;
  while (!done()) {
    if (steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(milliseconds(10));
  }
  return true;
}

test::PromExposition scrape(const http::MetricsRegistry& metrics) {
  test::PromExposition exp;
  const std::string error = test::parse_prometheus_text(metrics.render(), exp);
  EXPECT_EQ(error, "");
  EXPECT_EQ(test::check_histograms(exp), "");
  return exp;
}

class SchedulerThread : public ::testing::Test {
 protected:
  std::int64_t jobs() { return db_.scalar("SELECT count(*) FROM jobs WHERE kind = 'source.pull'"); }
  config::HubConfig hub(const std::string& spec) {
    config::HubConfig h = test::hub_with("acme", {{"listings", "mls", spec}});
    h.database.url = db_.conninfo();
    return h;
  }

  test::SchedulerDatabase db_;
  const queue::JobQueue queue_;
  http::MetricsRegistry metrics_;
};

TEST_F(SchedulerThread, AfterDowntimeOfFiveSlotsItRunsOnceThenOnSchedule) {
  test::ManualClock clock(utc("2024-01-15 10:07"));
  SchedulerOptions options;
  options.max_sleep = milliseconds(20);
  options.clock = [&clock] { return clock.now(); };
  auto scheduler = start_scheduler(hub("every 4h"), queue_, &metrics_, options);
  ASSERT_TRUE(eventually([&] { return scheduler->stats().passes >= 3; }));
  EXPECT_EQ(jobs(), 0) << "nothing is due before 12:00";

  // The hub was down from 10:07 until 06:00 the next day: five slots (12:00 … 04:00) missed.
  clock.set(utc("2024-01-16 06:00"));
  ASSERT_TRUE(eventually([&] { return jobs() >= 1; }));
  const auto passes = scheduler->stats().passes;
  ASSERT_TRUE(eventually([&] { return scheduler->stats().passes >= passes + 10; }));
  EXPECT_EQ(jobs(), 1) << "one run for five missed slots";

  clock.set(utc("2024-01-16 08:00:00") + milliseconds(500));
  ASSERT_TRUE(eventually([&] { return jobs() >= 2; }));
  scheduler->stop();
  EXPECT_EQ(jobs(), 2);
  EXPECT_EQ(scheduler->stats().fired, 2u);

  const auto exp = scrape(metrics_);
  EXPECT_EQ(exp.value("reos_schedule_fires_total", {{"tenant", "acme"}, {"pipeline", "listings"}}),
            2.0);
  EXPECT_EQ(exp.value("reos_scheduler_lag_seconds_count"), 2.0);
  // 18 h late (12:00 → 06:00) for the run after downtime, then 0.5 s.
  EXPECT_NEAR(exp.value("reos_scheduler_lag_seconds_sum").value_or(0), 18 * 3600 + 0.5, 1e-3);
}

TEST_F(SchedulerThread, WakesAtTheSlotRatherThanAtItsLongestSleep) {
  SchedulerOptions options;
  options.max_sleep = seconds(5);
  auto scheduler = start_scheduler(hub("every 1s"), queue_, &metrics_, options);
  std::this_thread::sleep_for(milliseconds(2600));
  const auto stop_started = steady_clock::now();
  scheduler.reset();  // stops: must not wait out a 5 s sleep
  EXPECT_LT(steady_clock::now() - stop_started, milliseconds(1000));

  EXPECT_GE(jobs(), 2) << "slow: it should wake at each 1 s slot, not after max_sleep";
  EXPECT_LE(jobs(), 3);
  const auto exp = scrape(metrics_);
  const double count = exp.value("reos_scheduler_lag_seconds_count").value_or(0);
  ASSERT_GE(count, 2.0);
  EXPECT_LT(exp.value("reos_scheduler_lag_seconds_sum").value_or(99) / count, 0.5)
      << "mean lag between slot and firing";
}

TEST_F(SchedulerThread, DatabaseErrorsAreRetriedAndDoNotStopIt) {
  SchedulerOptions options;
  options.retry_delay = milliseconds(20);
  Scheduler scheduler("host=/nonexistent-socket-dir dbname=none connect_timeout=1", queue_, nullptr,
                      options);
  scheduler.start();
  ASSERT_TRUE(eventually([&] { return scheduler.stats().errors >= 3; }));
  scheduler.stop();
  scheduler.stop();  // idempotent
  EXPECT_EQ(scheduler.stats().fired, 0u);
}

}  // namespace
}  // namespace reos::scheduler
