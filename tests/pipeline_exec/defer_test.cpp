// JobQueue::defer and JobOutcome::defer: a job that was not attempted goes back to the queue
// without using an attempt.
#include <gtest/gtest.h>

#include <atomic>
#include <pqxx/pqxx>
#include <thread>

#include "queue/job_queue.hpp"
#include "queue/worker_pool.hpp"
#include "support/test_database.hpp"

using reos::queue::Job;
using reos::queue::JobOutcome;
using reos::queue::JobQueue;
using reos::queue::JobStatus;
using namespace std::chrono_literals;

namespace {

struct QueueDb {
  reos::test::TestDatabase db;
  std::string conninfo = db.conninfo();
  pqxx::connection conn{conninfo};
  QueueDb() {
    reos::test::migrate_to_current(conninfo);
    pqxx::work tx(conn);
    tx.exec("INSERT INTO tenants (id, name) VALUES ('acme', 'Acme')");
    tx.commit();
  }
  double run_at_minus_now_ms(std::int64_t id) {
    pqxx::nontransaction tx(conn);
    return tx
        .exec_params1("SELECT extract(epoch FROM run_at - now()) * 1000 FROM jobs WHERE id = $1",
                      id)[0]
        .as<double>();
  }
};

}  // namespace

TEST(JobQueueDefer, GivesTheAttemptBackAndDelaysTheJob) {
  QueueDb q;
  const JobQueue queue;
  const auto id = queue.enqueue(q.conn, "acme", "sink.notify", "{}", "k1").id;
  auto claimed = queue.claim(q.conn, "w1", {}, 1, 30s);
  ASSERT_EQ(claimed.size(), 1u);
  ASSERT_EQ(claimed[0].attempts, 1);
  ASSERT_TRUE(queue.defer(q.conn, claimed[0], "w1", 400ms, "circuit open"));
  const Job after = *queue.find(q.conn, id);
  EXPECT_EQ(after.status, JobStatus::queued);
  EXPECT_EQ(after.attempts, 0);
  EXPECT_EQ(after.lease_owner, "");
  EXPECT_EQ(after.last_error, "circuit open");
  EXPECT_GT(q.run_at_minus_now_ms(id), 300);
  EXPECT_LE(q.run_at_minus_now_ms(id), 400);
  EXPECT_TRUE(queue.claim(q.conn, "w2", {}, 1, 30s).empty()) << "claimed before its run_at";
  std::this_thread::sleep_for(450ms);
  claimed = queue.claim(q.conn, "w2", {}, 1, 30s);
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_EQ(claimed[0].attempts, 1);
}

TEST(JobQueueDefer, ByAWorkerThatLostTheLeaseChangesNothing) {
  QueueDb q;
  const JobQueue queue;
  const auto id = queue.enqueue(q.conn, "acme", "sink.notify", "{}", "k1").id;
  const auto claimed = queue.claim(q.conn, "w1", {}, 1, 30s);
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_FALSE(queue.defer(q.conn, claimed[0], "someone-else", 10ms, "x"));
  EXPECT_EQ(queue.find(q.conn, id)->status, JobStatus::running);
  EXPECT_EQ(queue.find(q.conn, id)->attempts, 1);
}

TEST(JobQueueDefer, AWorkerPoolDefersAJobWhoseHandlerSaysSo) {
  QueueDb q;
  const JobQueue queue;
  reos::queue::EnqueueOptions one_attempt;
  one_attempt.max_attempts = 1;
  const auto id = queue.enqueue(q.conn, "acme", "gated", "{}", "k1", one_attempt).id;
  std::atomic<int> runs{0};
  reos::queue::WorkerPoolOptions options;
  options.conninfo = q.conninfo;
  options.workers = 1;
  options.max_idle_wait = 100ms;
  reos::queue::WorkerPool pool(queue, options);
  pool.register_handler("gated", [&](const Job&) {
    return runs++ < 3 ? JobOutcome::defer(50ms, "dependency down") : JobOutcome::ok();
  });
  pool.start();
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (queue.find(q.conn, id)->status != JobStatus::succeeded) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "job did not succeed";
    std::this_thread::sleep_for(10ms);
  }
  pool.stop();
  EXPECT_EQ(runs.load(), 4);
  EXPECT_EQ(queue.find(q.conn, id)->attempts, 1)
      << "with max_attempts 1, a deferral that counted would have made the job dead";
  EXPECT_EQ(pool.stats().failed, 0);
  EXPECT_EQ(pool.stats().lease_lost, 0);
}
