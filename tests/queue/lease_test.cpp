#include <gtest/gtest.h>

#include <pqxx/pqxx>
#include <thread>

#include "queue/job_queue.hpp"
#include "queue_test_support.hpp"

using reos::queue::BackoffPolicy;
using reos::queue::FailResult;
using reos::queue::JobQueue;
using reos::queue::JobStatus;
using reos::test::QueueDatabase;
using std::chrono::milliseconds;

TEST(Leases, ExpiredLeaseIsRecoveredAndOnlyTheNewOwnerCanFinishTheJob) {
  QueueDatabase db;
  pqxx::connection conn(db.conninfo());
  const JobQueue queue;
  const auto job = queue.enqueue(conn, "acme", "k", "{}", "j");
  const auto first = queue.claim(conn, "old-owner", {}, 1, milliseconds(100));
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(queue.recover_expired_leases(conn), 0) << "lease still valid";
  std::this_thread::sleep_for(milliseconds(250));
  EXPECT_EQ(queue.recover_expired_leases(conn), 1);
  EXPECT_NE(queue.find(conn, job.id)->last_error.find("old-owner"), std::string::npos);

  const auto second = queue.claim(conn, "new-owner", {}, 1, milliseconds(30000));
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].attempts, 2);
  EXPECT_FALSE(queue.complete(conn, job.id, "old-owner")) << "fenced by lease_owner";
  EXPECT_EQ(queue.fail(conn, first[0], "old-owner", "late failure", true), FailResult::not_owner);
  EXPECT_FALSE(queue.extend_lease(conn, job.id, "old-owner", milliseconds(30000)));
  EXPECT_TRUE(queue.complete(conn, job.id, "new-owner"));
  EXPECT_FALSE(queue.complete(conn, job.id, "new-owner")) << "completes once";
  EXPECT_EQ(queue.find(conn, job.id)->status, JobStatus::succeeded);
}

TEST(Leases, AnExtendedLeaseIsNotRecovered) {
  QueueDatabase db;
  pqxx::connection conn(db.conninfo());
  const JobQueue queue;
  const auto job = queue.enqueue(conn, "acme", "k", "{}", "j");
  ASSERT_EQ(queue.claim(conn, "w", {}, 1, milliseconds(200)).size(), 1u);
  for (int i = 0; i < 5; ++i) {
    std::this_thread::sleep_for(milliseconds(100));
    ASSERT_TRUE(queue.extend_lease(conn, job.id, "w", milliseconds(200)));
    EXPECT_EQ(queue.recover_expired_leases(conn), 0);
  }
  EXPECT_TRUE(queue.complete(conn, job.id, "w"));
}

TEST(Leases, RecoveringTheLastAttemptMakesTheJobDead) {
  QueueDatabase db;
  pqxx::connection conn(db.conninfo());
  const JobQueue queue(BackoffPolicy({1, milliseconds(0), milliseconds(0)}));
  const auto job = queue.enqueue(conn, "acme", "k", "{}", "j");
  ASSERT_EQ(queue.claim(conn, "w", {}, 1, milliseconds(100)).size(), 1u);
  std::this_thread::sleep_for(milliseconds(250));
  EXPECT_EQ(queue.recover_expired_leases(conn), 1);
  EXPECT_EQ(queue.find(conn, job.id)->status, JobStatus::dead);
}

TEST(Leases, ReleasedJobsGoBackUntouched) {
  QueueDatabase db;
  pqxx::connection conn(db.conninfo());
  const JobQueue queue;
  const auto job = queue.enqueue(conn, "acme", "k", "{}", "j");
  ASSERT_EQ(queue.claim(conn, "w", {}, 1, milliseconds(30000)).size(), 1u);
  EXPECT_TRUE(queue.release(conn, {job.id}, "other").empty()) << "fenced";
  EXPECT_EQ(queue.release(conn, {job.id}, "w").size(), 1u);
  const auto back = queue.find(conn, job.id);
  EXPECT_EQ(back->status, JobStatus::queued);
  EXPECT_EQ(back->attempts, 0);
}
