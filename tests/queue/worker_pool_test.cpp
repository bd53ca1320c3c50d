#include "queue/worker_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <pqxx/pqxx>
#include <stdexcept>
#include <thread>

#include "http/metrics_registry.hpp"
#include "queue/job_queue.hpp"
#include "queue_test_support.hpp"

using reos::queue::BackoffPolicy;
using reos::queue::Job;
using reos::queue::JobOutcome;
using reos::queue::JobQueue;
using reos::queue::JobStatus;
using reos::queue::WorkerPool;
using reos::queue::WorkerPoolOptions;
using reos::test::QueueDatabase;
using std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;

namespace {

WorkerPoolOptions options_for(const QueueDatabase& db) {
  WorkerPoolOptions o;
  o.conninfo = db.conninfo();
  o.workers = 2;
  o.max_idle_wait = milliseconds(5000);
  o.recovery_interval = milliseconds(60000);
  return o;
}

// Waits until `predicate` holds or `timeout` passes; returns whether it held.
template <class Predicate>
bool eventually(Predicate predicate, milliseconds timeout = milliseconds(10000)) {
  const auto deadline = SteadyClock::now() + timeout;
  while (SteadyClock::now() < deadline) {
    if (predicate()) return true;
    std::this_thread::sleep_for(milliseconds(10));
  }
  return predicate();
}

}  // namespace

TEST(WorkerPool, AnIdlePoolIsWokenByNotifyNotByPolling) {
  QueueDatabase db;
  const JobQueue queue;
  WorkerPool pool(queue, options_for(db));  // idle sleep 5 s: only a NOTIFY can be faster
  std::mutex mutex;
  std::condition_variable ran;
  std::int64_t last_id = 0;
  SteadyClock::time_point ran_at;
  pool.register_handler("ping", [&](const Job& job) {
    std::lock_guard<std::mutex> lock(mutex);
    last_id = job.id;
    ran_at = SteadyClock::now();
    ran.notify_all();
    return JobOutcome::ok();
  });
  pool.start();
  pqxx::connection conn(db.conninfo());
  for (int i = 0; i < 3; ++i) {
    std::this_thread::sleep_for(milliseconds(300));  // every worker is in its idle wait
    const auto enqueued_at = SteadyClock::now();
    const auto job = queue.enqueue(conn, "acme", "ping", "{}", "p" + std::to_string(i));
    std::unique_lock<std::mutex> lock(mutex);
    ASSERT_TRUE(ran.wait_for(lock, milliseconds(2000), [&] { return last_id == job.id; }))
        << "job " << i << " not picked up";
    EXPECT_LT(ran_at - enqueued_at, milliseconds(500)) << "job " << i;
  }
  EXPECT_GE(pool.stats().wakeups, 3);
}

TEST(WorkerPool, RecordsEachOutcomeAndCountsMetrics) {
  QueueDatabase db;
  reos::http::MetricsRegistry metrics;
  const JobQueue queue(BackoffPolicy({3, milliseconds(60000), milliseconds(60000)}));
  WorkerPoolOptions options = options_for(db);
  options.metrics = &metrics;
  WorkerPool pool(queue, options);
  pool.register_handler("ok", [](const Job&) { return JobOutcome::ok(); });
  pool.register_handler("retry", [](const Job&) {
    return JobOutcome::retry(milliseconds(120000), "twilio: 429 slow down");
  });
  pool.register_handler("fail", [](const Job&) { return JobOutcome::fail("no such contact"); });
  pool.register_handler(
      "throws", [](const Job&) -> JobOutcome { throw std::runtime_error("parser exploded"); });
  pool.start();
  pqxx::connection conn(db.conninfo());
  for (const char* kind : {"ok", "retry", "fail", "throws"})
    queue.enqueue(conn, "acme", kind, "{}", "x");
  ASSERT_TRUE(eventually([&] {
    return db.scalar("SELECT count(*) FROM jobs WHERE status <> 'running' AND attempts = 1") == 4;
  }));
  pool.stop();
  auto row = [&](const std::string& kind) {
    return db.text("SELECT status || ' ' || coalesce(last_error, '') FROM jobs WHERE kind = '" +
                   kind + "'");
  };
  EXPECT_EQ(row("ok"), "succeeded ");
  EXPECT_EQ(row("retry"), "queued twilio: 429 slow down");
  EXPECT_EQ(row("fail"), "failed no such contact");
  EXPECT_EQ(row("throws"), "queued handler threw: parser exploded");
  EXPECT_GE(db.scalar("SELECT round(extract(epoch FROM run_at - updated_at))::int FROM jobs "
                      "WHERE kind = 'retry'"),
            119)
      << "retry-after honoured";
  const std::string text = metrics.render();
  EXPECT_NE(text.find("reos_jobs_claimed_total{kind=\"ok\"} 1"), std::string::npos) << text;
  EXPECT_NE(text.find("reos_jobs_completed_total{kind=\"ok\",outcome=\"succeeded\"} 1"),
            std::string::npos);
  EXPECT_NE(text.find("reos_jobs_completed_total{kind=\"throws\",outcome=\"retried\"} 1"),
            std::string::npos);
  EXPECT_NE(text.find("reos_job_pickup_latency_seconds_count{kind=\"fail\"} 1"), std::string::npos);
  EXPECT_NE(text.find("reos_jobs_in_flight 0"), std::string::npos);
}

TEST(WorkerPool, HeartbeatKeepsASlowHealthyJobFromBeingTakenOver) {
  QueueDatabase db;
  const JobQueue queue;
  WorkerPoolOptions options = options_for(db);
  options.lease = milliseconds(300);  // heartbeat every 100 ms
  WorkerPool pool(queue, options);
  std::atomic<int> runs{0};
  pool.register_handler("slow", [&](const Job&) {
    ++runs;
    std::this_thread::sleep_for(milliseconds(1200));
    return JobOutcome::ok();
  });
  pool.start();
  pqxx::connection conn(db.conninfo());
  const auto job = queue.enqueue(conn, "acme", "slow", "{}", "s");
  // A recoverer elsewhere runs all the time; it must never find the lease expired.
  int recovered = 0;
  const auto until = SteadyClock::now() + milliseconds(1500);
  while (SteadyClock::now() < until) {
    recovered += queue.recover_expired_leases(conn);
    std::this_thread::sleep_for(milliseconds(50));
  }
  ASSERT_TRUE(eventually([&] { return queue.find(conn, job.id)->status == JobStatus::succeeded; }));
  EXPECT_EQ(recovered, 0);
  EXPECT_EQ(runs.load(), 1);
  EXPECT_EQ(queue.find(conn, job.id)->attempts, 1);
}

TEST(WorkerPool, StopFinishesTheRunningJobAndGivesBackTheRest) {
  QueueDatabase db;
  const JobQueue queue;
  WorkerPoolOptions options = options_for(db);
  options.workers = 1;
  options.batch_size = 10;
  WorkerPool pool(queue, options);
  std::atomic<int> started{0};
  std::atomic<int> finished{0};
  pool.register_handler("k", [&](const Job&) {
    ++started;
    std::this_thread::sleep_for(milliseconds(300));
    ++finished;
    return JobOutcome::ok();
  });
  pqxx::connection conn(db.conninfo());
  {
    pqxx::work tx(conn);
    for (int i = 0; i < 10; ++i) queue.enqueue(tx, "acme", "k", "{}", std::to_string(i));
    tx.commit();
  }
  pool.start();
  ASSERT_TRUE(eventually([&] { return started.load() == 1; }));
  pool.stop();
  EXPECT_EQ(started.load(), finished.load()) << "a running handler was cut off";
  EXPECT_EQ(db.scalar("SELECT count(*) FROM jobs WHERE status = 'succeeded'"), finished.load());
  EXPECT_EQ(db.scalar("SELECT count(*) FROM jobs WHERE status = 'queued' AND attempts = 0"),
            10 - finished.load());
  EXPECT_EQ(db.scalar("SELECT count(*) FROM jobs WHERE status = 'running'"), 0);
}
