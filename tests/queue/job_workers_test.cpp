// start_job_workers with background kinds: a backlog of bulk jobs queued first does not hold
// back a job of another kind queued after it, and only the one background worker runs them.
#include "queue/job_workers.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <pqxx/pqxx>
#include <thread>

#include "config/hub_config.hpp"
#include "queue_test_support.hpp"

namespace reos::queue {
namespace {

using std::chrono::milliseconds;

TEST(JobWorkersTest, BackgroundKindsDoNotDelayTheOthers) {
  test::QueueDatabase db;
  const JobQueue queue;
  constexpr int kBulk = 40;
  {
    pqxx::connection conn(db.conninfo());
    for (int i = 0; i < kBulk; ++i)
      queue.enqueue(conn, "acme", "bulk.fetch", "{}", "b" + std::to_string(i));
    queue.enqueue(conn, "acme", "sync.pull", "{}", "urgent");  // queued last
  }
  std::atomic<int> bulk_done{0}, bulk_running{0}, most_bulk_at_once{0};
  std::atomic<int> bulk_done_when_urgent_ran{-1};
  std::map<std::string, JobHandler> handlers;
  handlers["bulk.fetch"] = [&](const Job&) {
    const int now = ++bulk_running;
    int seen = most_bulk_at_once.load();
    while (now > seen && !most_bulk_at_once.compare_exchange_weak(seen, now)) {
    }
    std::this_thread::sleep_for(milliseconds(20));
    --bulk_running;
    ++bulk_done;
    return JobOutcome::ok();
  };
  handlers["sync.pull"] = [&](const Job&) {
    bulk_done_when_urgent_ran = bulk_done.load();
    return JobOutcome::ok();
  };
  config::HubConfig hub;
  hub.database.url = db.conninfo();
  hub.workers.count = 2;
  auto workers = start_job_workers(hub, handlers, nullptr, {"bulk.fetch"});
  ASSERT_NE(workers, nullptr);
  ASSERT_NE(workers->background(), nullptr);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (bulk_done.load() < kBulk && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(milliseconds(10));
  workers.reset();
  EXPECT_EQ(bulk_done.load(), kBulk);
  // The urgent job did not wait for the backlog (with one queue for all kinds, the two
  // workers would have claimed every bulk job queued before it first).
  ASSERT_GE(bulk_done_when_urgent_ran.load(), 0) << "the sync.pull job never ran";
  EXPECT_LT(bulk_done_when_urgent_ran.load(), kBulk / 2);
  // Only the background worker ran bulk jobs: never two at once.
  EXPECT_EQ(most_bulk_at_once.load(), 1);
}

TEST(JobWorkersTest, WithoutBackgroundKindsThereIsNoBackgroundWorker) {
  test::QueueDatabase db;
  config::HubConfig hub;
  hub.database.url = db.conninfo();
  auto workers = start_job_workers(
      hub, {{"sync.pull", [](const Job&) { return JobOutcome::ok(); }}}, nullptr, {"bulk.fetch"});
  ASSERT_NE(workers, nullptr);
  EXPECT_EQ(workers->background(), nullptr);
}

}  // namespace
}  // namespace reos::queue
