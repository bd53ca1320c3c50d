// The record flow: source.pull → pipeline.process → sinks, with the cursor moving only with
// the committed page, deterministic sink keys, and bad records quarantined.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <stdexcept>
#include <thread>

#include "pipeline_exec/job_kinds.hpp"
#include "pipeline_exec/pipeline_handlers.hpp"
#include "pipeline_fixture.hpp"
#include "queue/worker_pool.hpp"

using reos::queue::JobOutcome;
using reos::queue::JobStatus;
using reos::test::PipelineFixture;
using reos::test::tenant_yaml;
using namespace std::chrono_literals;

namespace {

const std::string kSeattleToMailer =
    "      - id: seattle\n"
    "        when: 'City == \"Seattle\"'\n"
    "        to: [{ notifier: mailer, template: new_listing }]\n";

std::set<std::string> notified_ids(const PipelineFixture& f) {
  std::set<std::string> ids;
  for (const auto& line : f.lines("side.log")) {
    if (line.rfind("notify ", 0) == 0) ids.insert(line.substr(7, line.find(' ', 7) - 7));
  }
  return ids;
}

std::int64_t jobs_of(const PipelineFixture& f, const std::string& kind) {
  return f.scalar("SELECT count(*) FROM jobs WHERE kind = '" + kind + "'");
}

}  // namespace

TEST(RecordFlow, SourcePullFlowsToNotificationsForMatchingRecordsOnly) {
  PipelineFixture f(tenant_yaml(
      "{ pages: 3, per_page: 10 }",
      kSeattleToMailer + "      - id: pricey\n"
                         "        when: 'ListPrice >= 225000'\n"
                         "        to: [{ job: cma.generate, with: { radius_km: 2 } }]\n"));
  reos::queue::WorkerPoolOptions options;
  options.conninfo = f.conninfo();
  options.workers = 2;
  options.max_idle_wait = 200ms;
  reos::queue::WorkerPool pool(f.queue(), options);
  reos::pipeline_exec::register_pipeline_handlers(pool, f.runtime());
  pool.start();
  f.enqueue_pull("listings", "src");
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (f.scalar("SELECT count(*) FROM jobs WHERE kind <> 'cma.generate' AND status <> "
                  "'succeeded'") > 0 ||
         f.scalar("SELECT count(*) FROM jobs WHERE kind = 'sink.notify'") < 10) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "pipeline did not finish";
    std::this_thread::sleep_for(20ms);
  }
  pool.stop();

  // 30 records over 3 pages; Seattle is every third: L0, L3, …, L27.
  std::set<std::string> expected;
  for (int n = 0; n < 30; n += 3) expected.insert("L" + std::to_string(n));
  EXPECT_EQ(notified_ids(f), expected);
  EXPECT_EQ(f.lines("side.log").size(), 10u) << "a record was notified twice";
  EXPECT_EQ(f.lines("enrich.log").size(), 30u);
  EXPECT_EQ(jobs_of(f, "source.pull"), 3) << "one pull per page (has_more chains the next)";
  EXPECT_EQ(jobs_of(f, "pipeline.process"), 3) << "a page travels as one job";
  EXPECT_EQ(f.scalar("SELECT count(*) FROM outbox WHERE status = 'sent' AND kind = 'notify' AND "
                     "provider_id LIKE 'msg-L%'"),
            10);
  EXPECT_EQ(f.text("SELECT state->>'cursor' FROM connectors WHERE id = 'src'"), "page-3");
  EXPECT_EQ(f.text("SELECT status FROM connectors WHERE id = 'src'"), "idle");
  EXPECT_EQ(f.scalar("SELECT count(*) FROM connectors WHERE id = 'src' AND last_run_at IS NULL"),
            0);
  // The routed record is the enriched one, with the route's template.
  EXPECT_EQ(f.scalar("SELECT count(*) FROM jobs WHERE kind = 'sink.notify' AND "
                     "(payload->'record'->'payload'->>'enriched')::boolean AND "
                     "payload->'target'->>'template' = 'new_listing'"),
            10);
  // A domain job target is enqueued with the record and waits for its (later) handler.
  EXPECT_EQ(f.scalar("SELECT count(*) FROM jobs WHERE kind = 'cma.generate' AND status = "
                     "'queued' AND (payload->'target'->'with'->>'radius_km')::int = 2"),
            5)
      << "L25..L29 cost >= 225000";
}

TEST(RecordFlow, CrashBeforeCommitLeavesTheCursorAndTheRePullMakesNoDuplicates) {
  reos::pipeline_exec::PipelineRuntimeOptions options;
  int crashes = 0;
  options.fault_injection = [&](std::string_view point) {
    if (point == "source.pull:before-commit" && crashes++ == 0) {
      throw std::runtime_error("injected crash before commit");
    }
  };
  PipelineFixture f(tenant_yaml("{ pages: 3, per_page: 10 }", kSeattleToMailer), options);
  const auto pull = f.enqueue_pull("listings", "src");

  const auto first = f.run_next("source.pull");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->kind, JobOutcome::Kind::retry);
  EXPECT_EQ(f.text("SELECT coalesce(state->>'cursor', '') FROM connectors WHERE id = 'src'"), "")
      << "the cursor moved without its page";
  EXPECT_EQ(jobs_of(f, "pipeline.process"), 0) << "the page's job survived the rollback";
  EXPECT_EQ(f.job(pull).status, JobStatus::queued);

  f.drain();
  EXPECT_EQ(crashes, 4) << "the first pull crashed, then it and two more pulls committed";
  EXPECT_EQ(f.text("SELECT state->>'cursor' FROM connectors WHERE id = 'src'"), "page-3");
  EXPECT_EQ(f.job(pull).attempts, 2) << "page 0 was pulled again";
  EXPECT_EQ(jobs_of(f, "pipeline.process"), 3);
  EXPECT_EQ(jobs_of(f, "sink.notify"), 10) << "one sink job per matching record";
  EXPECT_EQ(f.scalar("SELECT count(DISTINCT idempotency_key) FROM jobs WHERE kind = "
                     "'sink.notify'"),
            10);
  EXPECT_EQ(f.lines("side.log").size(), 10u);
  EXPECT_EQ(notified_ids(f).size(), 10u);
}

TEST(RecordFlow, ReRunningABatchJobCreatesNoDuplicateSinkJobs) {
  PipelineFixture f(tenant_yaml("{ pages: 1, per_page: 12 }",
                                kSeattleToMailer + "      - id: everything\n"
                                                   "        to: [{ exporter: mailer }]\n"));
  f.enqueue_pull("listings", "src");
  ASSERT_TRUE(f.run_next("source.pull"));
  ASSERT_TRUE(f.run_next("pipeline.process"));
  EXPECT_EQ(jobs_of(f, "sink.notify"), 4);   // L0 L3 L6 L9
  EXPECT_EQ(jobs_of(f, "sink.export"), 12);  // every record

  // The worker died after the commit, before completing: the batch runs again.
  const std::int64_t batch_id = f.scalar("SELECT id FROM jobs WHERE kind = 'pipeline.process'");
  const auto handlers = reos::pipeline_exec::pipeline_handlers(f.runtime());
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(handlers.at("pipeline.process")(f.job(batch_id)).kind, JobOutcome::Kind::ok);
  }
  EXPECT_EQ(jobs_of(f, "sink.notify"), 4) << "a re-run batch created a second sink job";
  EXPECT_EQ(jobs_of(f, "sink.export"), 12);
  f.drain();
  EXPECT_EQ(f.lines("side.log").size(), 16u);
}

TEST(RecordFlow, ABadRecordIsQuarantinedWithTheReasonAndTheRestCarryOn) {
  PipelineFixture f(tenant_yaml("{ pages: 3, per_page: 10, bad_every: 5 }",
                                "      - id: all\n        to: [{ notifier: mailer }]\n"));
  f.enqueue_pull("listings", "src");
  f.drain();
  // Every fifth record (L4, L9, …, L29) is refused by the enricher.
  EXPECT_EQ(f.lines("side.log").size(), 24u);
  EXPECT_EQ(f.scalar("SELECT count(*) FROM quarantine"), 6);
  EXPECT_EQ(f.scalar("SELECT count(*) FROM quarantine WHERE tenant_id = 'acme' AND pipeline_id = "
                     "'listings' AND stage = 'enrich' AND connector_id = 'vendor' AND reason = "
                     "'FAIL: bad record: no assessor parcel' AND payload->>'ListingKey' = "
                     "record_id AND job_id IS NOT NULL"),
            6);
  EXPECT_EQ(f.text("SELECT string_agg(record_id, ',' ORDER BY (payload->>'n')::int) FROM "
                   "quarantine"),
            "L4,L9,L14,L19,L24,L29");
  EXPECT_EQ(f.scalar("SELECT count(*) FROM jobs WHERE status <> 'succeeded'"), 0)
      << "a bad record must not fail its batch";

  // Running a batch again does not quarantine its records twice.
  const std::int64_t batch_id =
      f.scalar("SELECT min(id) FROM jobs WHERE kind = 'pipeline.process'");
  reos::pipeline_exec::pipeline_handlers(f.runtime()).at("pipeline.process")(f.job(batch_id));
  EXPECT_EQ(f.scalar("SELECT count(*) FROM quarantine"), 6);
}

TEST(RecordFlow, AnEnricherRetryRetriesTheWholeBatch) {
  PipelineFixture f(tenant_yaml("{ pages: 1, per_page: 6 }",
                                "      - id: all\n        to: [{ notifier: mailer }]\n"));
  f.enqueue_pull("listings", "src");
  ASSERT_TRUE(f.run_next("source.pull"));
  f.write("vendor.fail", "busy\n");
  const auto outcome = f.run_next("pipeline.process");
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->kind, JobOutcome::Kind::retry);
  EXPECT_NE(outcome->message.find("vendor busy"), std::string::npos) << outcome->message;
  EXPECT_EQ(outcome->retry_after, 50ms) << "the plugin's retry-after is passed on";
  EXPECT_EQ(jobs_of(f, "sink.notify"), 0) << "nothing of a retried batch is committed";
  EXPECT_EQ(f.scalar("SELECT attempts FROM jobs WHERE kind = 'pipeline.process' AND status = "
                     "'queued'"),
            1);

  f.remove("vendor.fail");
  f.drain();
  EXPECT_EQ(f.lines("side.log").size(), 6u);
  EXPECT_EQ(f.scalar("SELECT attempts FROM jobs WHERE kind = 'pipeline.process'"), 2);
}

TEST(RecordFlow, ASourceFailureRetriesAndIsRecordedOnTheConnector) {
  PipelineFixture f(tenant_yaml("{ pages: 1, per_page: 2, fail_file: \"{dir}/src.fail\" }",
                                "      - id: all\n        to: [{ notifier: mailer }]\n"));
  f.write("src.fail", "x\n");
  const auto pull = f.enqueue_pull("listings", "src");
  const auto outcome = f.run_next("source.pull");
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->kind, JobOutcome::Kind::retry);
  EXPECT_EQ(outcome->retry_after, 100ms);
  EXPECT_EQ(f.text("SELECT last_error FROM connectors WHERE id = 'src'"),
            "pull from 'src' failed: RETRY: source busy");
  EXPECT_EQ(f.text("SELECT coalesce(state->>'cursor', '') FROM connectors WHERE id = 'src'"), "");
  f.remove("src.fail");
  f.drain();
  EXPECT_EQ(f.job(pull).status, JobStatus::succeeded);
  EXPECT_EQ(f.text("SELECT coalesce(last_error, 'none') FROM connectors WHERE id = 'src'"), "none");
  EXPECT_EQ(f.lines("side.log").size(), 2u);
}
