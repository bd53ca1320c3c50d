#include "queue/job_queue.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <pqxx/pqxx>
#include <set>
#include <thread>
#include <vector>

#include "db/tenant_scope.hpp"
#include "queue_test_support.hpp"

using reos::queue::BackoffPolicy;
using reos::queue::EnqueueOptions;
using reos::queue::FailResult;
using reos::queue::Job;
using reos::queue::JobFilter;
using reos::queue::JobQueue;
using reos::queue::JobStatus;
using reos::test::QueueDatabase;
using std::chrono::milliseconds;

namespace {

constexpr milliseconds kLease{30000};

std::vector<std::int64_t> ids(const std::vector<Job>& jobs) {
  std::vector<std::int64_t> out;
  for (const Job& j : jobs) out.push_back(j.id);
  return out;
}

}  // namespace

TEST(JobQueue, EnqueueWithTheSameKeyReturnsTheSameJob) {
  QueueDatabase db;
  pqxx::connection conn(db.conninfo());
  const JobQueue queue;
  const auto first = queue.enqueue(conn, "acme", "cma.run", R"({"listing":"A1"})", "listing-A1");
  const auto second =
      queue.enqueue(conn, "acme", "cma.run", R"({"listing":"CHANGED"})", "listing-A1");
  EXPECT_TRUE(first.created);
  EXPECT_FALSE(second.created);
  EXPECT_EQ(first.id, second.id);
  EXPECT_EQ(db.scalar("SELECT count(*) FROM jobs"), 1);
  EXPECT_EQ(db.text("SELECT payload->>'listing' FROM jobs"), "A1") << "the first enqueue wins";

  // The key is scoped by tenant and kind; no key means no de-duplication.
  EXPECT_TRUE(queue.enqueue(conn, "beta", "cma.run", "{}", "listing-A1").created);
  EXPECT_TRUE(queue.enqueue(conn, "acme", "email.send", "{}", "listing-A1").created);
  EXPECT_NE(queue.enqueue(conn, "acme", "cma.run", "{}", "").id,
            queue.enqueue(conn, "acme", "cma.run", "{}", "").id);
  EXPECT_EQ(db.scalar("SELECT count(*) FROM jobs"), 5);
}

TEST(JobQueue, ConcurrentEnqueuesOfOneKeyMakeOneJob) {
  QueueDatabase db;
  const JobQueue queue;
  constexpr int kThreads = 8;
  std::vector<std::int64_t> got(kThreads);
  std::vector<std::thread> threads;
  for (int round = 0; round < 20; ++round) {
    threads.clear();
    std::vector<std::unique_ptr<pqxx::connection>> conns;
    for (int i = 0; i < kThreads; ++i)
      conns.push_back(std::make_unique<pqxx::connection>(db.conninfo()));
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([&, i] {
        got[i] = queue.enqueue(*conns[i], "acme", "k", "{}", "key-" + std::to_string(round)).id;
      });
    }
    for (auto& t : threads) t.join();
    for (int i = 1; i < kThreads; ++i) ASSERT_EQ(got[i], got[0]) << "round " << round;
  }
  EXPECT_EQ(db.scalar("SELECT count(*) FROM jobs"), 20);
}

TEST(JobQueue, EnqueueInTheCallersTransactionRollsBackWithIt) {
  QueueDatabase db;
  pqxx::connection conn(db.conninfo());
  const JobQueue queue;
  {
    pqxx::work tx(conn);
    queue.enqueue(tx, "acme", "k", "{}", "outbox-1");
    tx.abort();
  }
  EXPECT_EQ(db.scalar("SELECT count(*) FROM jobs"), 0);
  pqxx::work tx(conn);
  const auto r = queue.enqueue(tx, "acme", "k", "{}", "outbox-1");
  tx.commit();
  EXPECT_TRUE(r.created);
  EXPECT_EQ(db.scalar("SELECT count(*) FROM jobs"), 1);
}

TEST(JobQueue, TenantScopedCodeSeesAndEnqueuesOnlyItsOwnJobs) {
  QueueDatabase db;
  pqxx::connection conn(db.conninfo());
  const JobQueue queue;
  queue.enqueue(conn, "beta", "k", "{}", "b1");
  pqxx::work tx(conn);
  reos::db::enter_tenant_scope(tx, "acme");
  EXPECT_TRUE(queue.enqueue(tx, "acme", "k", "{}", "a1").created);
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM jobs")[0].as<int>(), 1);
  EXPECT_THROW(queue.enqueue(tx, "beta", "k", "{}", "b2"), std::exception);
}

TEST(JobQueue, ClaimSkipsRowsLockedByAnotherClaimer) {
  QueueDatabase db;
  pqxx::connection producer(db.conninfo());
  const JobQueue queue;
  for (int i = 0; i < 10; ++i) queue.enqueue(producer, "acme", "k", "{}", "j" + std::to_string(i));

  // Another transaction holds the first 4 due rows locked, as a concurrent claim would.
  pqxx::connection holder(db.conninfo());
  pqxx::work hold(holder);
  const auto locked = hold.exec(
      "SELECT id FROM jobs WHERE status = 'queued' ORDER BY run_at, id LIMIT 4 FOR UPDATE");
  std::set<std::int64_t> locked_ids;
  for (const auto& row : locked) locked_ids.insert(row[0].as<std::int64_t>());

  pqxx::connection claimer(db.conninfo());
  const auto start = std::chrono::steady_clock::now();
  const std::vector<Job> jobs = queue.claim(claimer, "w1", {"k"}, 100, kLease);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2)) << "claim blocked";
  ASSERT_EQ(jobs.size(), 6u);
  for (const Job& j : jobs) {
    EXPECT_EQ(locked_ids.count(j.id), 0u) << "claimed a locked row " << j.id;
    EXPECT_EQ(j.attempts, 1);
    EXPECT_EQ(j.status, JobStatus::running);
    EXPECT_EQ(j.lease_owner, "w1");
  }
}

TEST(JobQueue, ConcurrentClaimersGetDisjointSets) {
  QueueDatabase db;
  {
    pqxx::connection conn(db.conninfo());
    const JobQueue queue;
    pqxx::work tx(conn);
    for (int i = 0; i < 500; ++i) queue.enqueue(tx, "acme", "k", "{}", "j" + std::to_string(i));
    tx.commit();
  }
  const JobQueue queue;
  std::vector<std::int64_t> a, b;
  auto claim_all = [&](const std::string& owner, std::vector<std::int64_t>& out) {
    pqxx::connection conn(db.conninfo());
    for (;;) {
      const auto jobs = queue.claim(conn, owner, {}, 7, kLease);
      if (jobs.empty()) return;
      for (const Job& j : jobs) out.push_back(j.id);
    }
  };
  std::thread ta(claim_all, "A", std::ref(a));
  std::thread tb(claim_all, "B", std::ref(b));
  ta.join();
  tb.join();
  std::set<std::int64_t> all(a.begin(), a.end());
  for (std::int64_t id : b) EXPECT_TRUE(all.insert(id).second) << "job " << id << " claimed twice";
  EXPECT_EQ(all.size(), 500u);
  EXPECT_FALSE(a.empty());
  EXPECT_FALSE(b.empty());
  EXPECT_EQ(db.scalar("SELECT count(*) FROM jobs WHERE status = 'running' AND attempts = 1"), 500);
}

TEST(JobQueue, ClaimTakesOnlyDueJobsOfTheGivenKindsOldestFirst) {
  QueueDatabase db;
  pqxx::connection conn(db.conninfo());
  const JobQueue queue;
  EnqueueOptions later;
  later.delay = milliseconds(60000);
  const auto delayed = queue.enqueue(conn, "acme", "k", "{}", "later", later);
  const auto first = queue.enqueue(conn, "acme", "k", "{}", "first");
  const auto second = queue.enqueue(conn, "acme", "k", "{}", "second");
  queue.enqueue(conn, "acme", "other", "{}", "other");
  const auto jobs = queue.claim(conn, "w", {"k"}, 10, kLease);
  EXPECT_EQ(ids(jobs), (std::vector<std::int64_t>{first.id, second.id}));
  const auto next = queue.time_until_next_job(conn, {"k"});
  ASSERT_TRUE(next.has_value());
  EXPECT_GT(*next, milliseconds(55000));
  EXPECT_LE(*next, milliseconds(60000));
  EXPECT_EQ(db.text("SELECT status FROM jobs WHERE id = " + std::to_string(delayed.id)), "queued");
}

TEST(JobQueue, BackoffScheduleFollowsThePolicyWithTheInjectedRandom) {
  QueueDatabase db;
  pqxx::connection conn(db.conninfo());
  auto draws = std::make_shared<std::vector<double>>(std::vector<double>{0.5, 0.25, 0.999, 0.1});
  auto index = std::make_shared<std::size_t>(0);
  const JobQueue queue(
      BackoffPolicy({}, {{"mls.pull", {5, milliseconds(1000), milliseconds(3000)}}},
                    [draws, index] { return (*draws)[(*index)++ % draws->size()]; }));
  const auto job = queue.enqueue(conn, "acme", "mls.pull", "{}", "pull-1");
  EXPECT_EQ(db.scalar("SELECT max_attempts FROM jobs"), 5) << "from the kind's settings";

  // attempt → expected delay: ceilings 1000, 2000, 3000 (cap), 3000; attempt 4 asks for 10 s.
  const std::vector<long long> expected = {500, 500, 2997, 10000};
  const std::vector<milliseconds> retry_after = {milliseconds(0), milliseconds(100),
                                                 milliseconds(0), milliseconds(10000)};
  for (int attempt = 1; attempt <= 4; ++attempt) {
    const auto claimed = queue.claim(conn, "w", {}, 1, kLease);
    ASSERT_EQ(claimed.size(), 1u) << "attempt " << attempt;
    EXPECT_EQ(claimed[0].attempts, attempt);
    EXPECT_EQ(
        queue.fail(conn, claimed[0], "w", "HTTP 503 from MLS", true, retry_after[attempt - 1]),
        FailResult::requeued);
    // run_at = now() + delay with updated_at = now() in the same statement: exact.
    EXPECT_EQ(db.scalar("SELECT round(extract(epoch FROM run_at - updated_at) * 1000)::bigint "
                        "FROM jobs"),
              expected[attempt - 1])
        << "attempt " << attempt;
    EXPECT_TRUE(queue.claim(conn, "w", {}, 1, kLease).empty()) << "not due yet";
    db.exec("UPDATE jobs SET run_at = now()");  // let the time pass
  }
  const auto last = queue.claim(conn, "w", {}, 1, kLease);
  ASSERT_EQ(last.size(), 1u);
  EXPECT_EQ(queue.fail(conn, last[0], "w", "HTTP 503 again", true), FailResult::dead);
  const auto dead = queue.find(conn, job.id);
  ASSERT_TRUE(dead.has_value());
  EXPECT_EQ(dead->status, JobStatus::dead);
  EXPECT_EQ(dead->attempts, 5);
  EXPECT_EQ(dead->last_error, "HTTP 503 again");
  EXPECT_TRUE(dead->finished_at.has_value());
}

TEST(JobQueue, DeadJobKeepsItsErrorAndReplayLetsItSucceed) {
  QueueDatabase db;
  pqxx::connection conn(db.conninfo());
  const JobQueue queue(BackoffPolicy({2, milliseconds(0), milliseconds(0)}));
  const auto job = queue.enqueue(conn, "acme", "email.send", "{}", "welcome-7");
  for (int i = 0; i < 2; ++i) {
    const auto claimed = queue.claim(conn, "w", {}, 1, kLease);
    ASSERT_EQ(claimed.size(), 1u);
    queue.fail(conn, claimed[0], "w", "smtp: 451 try later #" + std::to_string(i + 1), true);
  }
  EXPECT_EQ(queue.find(conn, job.id)->status, JobStatus::dead);
  const auto letters = queue.dead_letters(conn, JobFilter{});
  ASSERT_EQ(letters.size(), 1u);
  EXPECT_EQ(letters[0].last_error, "smtp: 451 try later #2");

  EXPECT_TRUE(queue.replay(conn, job.id));
  EXPECT_FALSE(queue.replay(conn, job.id)) << "only failed or dead jobs replay";
  const auto again = queue.claim(conn, "w2", {}, 1, kLease);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].attempts, 1) << "replay resets attempts";
  EXPECT_TRUE(queue.complete(conn, job.id, "w2"));
  const auto done = queue.find(conn, job.id);
  EXPECT_EQ(done->status, JobStatus::succeeded);
  EXPECT_EQ(done->last_error, "smtp: 451 try later #2") << "history is kept";
  EXPECT_TRUE(queue.dead_letters(conn, JobFilter{}).empty());
}

TEST(JobQueue, PermanentFailureIsFailedAtOnce) {
  QueueDatabase db;
  pqxx::connection conn(db.conninfo());
  const JobQueue queue;
  const auto job = queue.enqueue(conn, "acme", "crm.export", "{}", "c1");
  const auto claimed = queue.claim(conn, "w", {}, 1, kLease);
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_EQ(queue.fail(conn, claimed[0], "w", "hubspot: 400 invalid property 'zip'", false),
            FailResult::failed);
  const auto failed = queue.find(conn, job.id);
  EXPECT_EQ(failed->status, JobStatus::failed);
  EXPECT_EQ(failed->attempts, 1);
  EXPECT_EQ(failed->last_error, "hubspot: 400 invalid property 'zip'");
  EXPECT_TRUE(queue.claim(conn, "w", {}, 1, kLease).empty());
}

TEST(JobQueue, ListPagesByIdAndFiltersAndStatsCount) {
  QueueDatabase db;
  pqxx::connection conn(db.conninfo());
  const JobQueue queue;
  for (int i = 0; i < 5; ++i) queue.enqueue(conn, "acme", "a", "{}", "a" + std::to_string(i));
  for (int i = 0; i < 3; ++i) queue.enqueue(conn, "beta", "b", "{}", "b" + std::to_string(i));
  JobFilter page;
  page.limit = 3;
  const auto p1 = queue.list(conn, page);
  ASSERT_EQ(p1.size(), 3u);
  page.after_id = p1.back().id;
  const auto p2 = queue.list(conn, page);
  ASSERT_EQ(p2.size(), 3u);
  EXPECT_GT(p2.front().id, p1.back().id);
  JobFilter beta;
  beta.tenant_id = "beta";
  EXPECT_EQ(queue.list(conn, beta).size(), 3u);
  JobFilter kind_a;
  kind_a.kind = "a";
  kind_a.status = JobStatus::queued;
  EXPECT_EQ(queue.list(conn, kind_a).size(), 5u);

  queue.claim(conn, "w", {"b"}, 1, kLease);
  const auto stats = queue.stats(conn);
  EXPECT_EQ(stats.ready, 7);
  ASSERT_EQ(stats.counts.size(), 3u);
  EXPECT_EQ(stats.counts[0].kind, "a");
  EXPECT_EQ(stats.counts[0].jobs, 5);
  EXPECT_EQ(stats.counts[1].status, JobStatus::queued);
  EXPECT_EQ(stats.counts[2].status, JobStatus::running);
}

TEST(JobQueue, EnqueueManyKeepsInputOrderAndIdempotency) {
  QueueDatabase db;
  pqxx::connection conn(db.conninfo());
  const JobQueue queue;
  const auto existing = queue.enqueue(conn, "acme", "k", R"({"n":0})", "dup");
  std::vector<reos::queue::NewJob> batch;
  batch.push_back({"acme", "k", R"({"n":1})", "a", 0, milliseconds(0), ""});
  batch.push_back({"acme", "k", R"({"n":2})", "", 0, milliseconds(0), ""});
  batch.push_back({"acme", "k", R"({"n":3})", "dup", 0, milliseconds(0), ""});
  batch.push_back({"beta", "k", R"({"n":4})", "", 0, milliseconds(0), ""});
  batch.push_back({"acme", "k", R"({"n":5})", "a", 0, milliseconds(0), ""});
  pqxx::work tx(conn);
  const auto results = queue.enqueue_many(tx, batch);
  tx.commit();
  ASSERT_EQ(results.size(), 5u);
  EXPECT_TRUE(results[0].created);
  EXPECT_TRUE(results[1].created);
  EXPECT_FALSE(results[2].created);
  EXPECT_EQ(results[2].id, existing.id);
  EXPECT_TRUE(results[3].created);
  EXPECT_FALSE(results[4].created);
  EXPECT_EQ(results[4].id, results[0].id);
  EXPECT_EQ(db.scalar("SELECT count(*) FROM jobs"), 4);
  for (int i : {0, 1, 3}) {
    EXPECT_EQ(db.scalar("SELECT (payload->>'n')::int FROM jobs WHERE id = " +
                        std::to_string(results[i].id)),
              i + 1);
  }
}
