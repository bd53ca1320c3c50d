// Several OS processes sharing one database: the way the hub scales out.

#include <gtest/gtest.h>
#include <signal.h>

#include <memory>
#include <pqxx/pqxx>
#include <thread>

#include "queue/job_queue.hpp"
#include "queue_test_support.hpp"
#include "support/child_process.hpp"

using reos::queue::JobQueue;
using reos::queue::JobStatus;
using reos::test::BackgroundProcess;
using reos::test::QueueDatabase;
using std::chrono::milliseconds;

namespace {

void enqueue_jobs(const QueueDatabase& db, const std::string& kind, int count) {
  const JobQueue queue;
  pqxx::connection conn(db.conninfo());
  pqxx::work tx(conn);
  for (int i = 0; i < count; ++i) queue.enqueue(tx, "acme", kind, "{}", "job-" + std::to_string(i));
  tx.commit();
}

// Runs `processes` worker processes over `jobs` jobs and checks that every job ran once.
void every_job_runs_exactly_once(int processes, int jobs) {
  QueueDatabase db;
  enqueue_jobs(db, "effect", jobs);
  std::vector<std::unique_ptr<BackgroundProcess>> workers;
  for (int i = 0; i < processes; ++i) {
    workers.push_back(std::make_unique<BackgroundProcess>(
        std::vector<std::string>{QUEUE_TEST_WORKER, db.conninfo(), "work", "effect", "2", "16"}));
  }
  for (auto& w : workers) {
    EXPECT_EQ(w->wait(std::chrono::seconds(40)), 0) << w->stderr_text();
  }
  EXPECT_EQ(db.scalar("SELECT count(*) FROM jobs WHERE status = 'succeeded'"), jobs);
  EXPECT_EQ(db.scalar("SELECT count(*) FROM job_effects"), jobs) << "a job ran twice or never";
  EXPECT_EQ(db.scalar("SELECT count(DISTINCT job_id) FROM job_effects"), jobs);
  EXPECT_EQ(db.scalar("SELECT count(*) FROM jobs WHERE attempts <> 1"), 0);
  EXPECT_EQ(db.scalar("SELECT count(DISTINCT worker) FROM job_effects"), processes)
      << "every process should have taken a share";
}

}  // namespace

TEST(QueueProcesses, TwoWorkerProcessesRunEveryJobExactlyOnce) {
  every_job_runs_exactly_once(2, 2000);
}

TEST(QueueProcesses, ThreeWorkerProcessesRunEveryJobExactlyOnce) {
  every_job_runs_exactly_once(3, 2000);
}

TEST(QueueProcesses, JobOfAWorkerKilledMidJobIsRecoveredAndRunsOnce) {
  QueueDatabase db;
  const JobQueue queue;
  pqxx::connection conn(db.conninfo());
  const auto job = queue.enqueue(conn, "acme", "fragile", "{}", "f1");
  BackgroundProcess doomed({QUEUE_TEST_WORKER, db.conninfo(), "claim-and-sleep", "fragile", "300"});
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (queue.find(conn, job.id)->status != JobStatus::running) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << doomed.stderr_text();
    std::this_thread::sleep_for(milliseconds(10));
  }
  doomed.signal(SIGKILL);
  EXPECT_EQ(doomed.wait(std::chrono::seconds(5)), 128 + SIGKILL);
  EXPECT_EQ(queue.recover_expired_leases(conn), 0) << "recovered before the lease expired";
  EXPECT_TRUE(queue.claim(conn, "rescuer", {}, 10, milliseconds(30000)).empty())
      << "a leased job must not be claimable";

  std::this_thread::sleep_for(milliseconds(400));
  EXPECT_EQ(queue.recover_expired_leases(conn), 1);
  // Another worker process finishes it.
  BackgroundProcess rescuer({QUEUE_TEST_WORKER, db.conninfo(), "work", "fragile", "1", "8"});
  EXPECT_EQ(rescuer.wait(std::chrono::seconds(20)), 0) << rescuer.stderr_text();
  EXPECT_EQ(db.scalar("SELECT count(*) FROM job_effects"), 1) << "ran once after the crash";
  EXPECT_EQ(queue.find(conn, job.id)->attempts, 2);
  EXPECT_EQ(queue.recover_expired_leases(conn), 0);
  EXPECT_EQ(queue.find(conn, job.id)->status, JobStatus::succeeded);
}
