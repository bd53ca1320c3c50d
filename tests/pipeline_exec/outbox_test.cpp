// Side effects at most once: the outbox protocol of sink.notify and sink.export.
#include "pipeline_exec/outbox.hpp"

#include <gtest/gtest.h>

#include <pqxx/pqxx>
#include <stdexcept>

#include "pipeline_exec/pipeline_handlers.hpp"
#include "pipeline_fixture.hpp"

using reos::queue::JobOutcome;
using reos::queue::JobStatus;
using reos::test::PipelineFixture;
using reos::test::tenant_yaml;

namespace {

// One record (L0) routed to `target`.
std::string one_record_to(const std::string& target) {
  return tenant_yaml("{ pages: 1, per_page: 1 }",
                     "      - id: all\n        to: [{ " + target + " }]\n");
}

// Options whose fault injection throws once right after the provider call: the worker "dies"
// after handing the side effect over and before recording it.
reos::pipeline_exec::PipelineRuntimeOptions dies_after_provider_call(int& crashes) {
  reos::pipeline_exec::PipelineRuntimeOptions options;
  options.fault_injection = [&crashes](std::string_view point) {
    if (point == "sink:after-provider-call" && crashes++ == 0) {
      throw std::runtime_error("worker died after the provider call");
    }
  };
  return options;
}

}  // namespace

TEST(Outbox, ANotifierWhoseWorkerDiedAfterTheProviderCallIsNotNotifiedTwice) {
  int crashes = 0;
  PipelineFixture f(one_record_to("notifier: mailer"), dies_after_provider_call(crashes));
  f.enqueue_pull("listings", "src");
  ASSERT_TRUE(f.run_next("source.pull"));
  ASSERT_TRUE(f.run_next("pipeline.process"));
  const auto first = f.run_next("sink.notify");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->kind, JobOutcome::Kind::retry);
  EXPECT_EQ(f.text("SELECT status FROM outbox"), "sending");
  EXPECT_EQ(f.lines("side.log").size(), 1u);

  const auto second = f.run_next("sink.notify");
  ASSERT_TRUE(second);
  EXPECT_EQ(second->kind, JobOutcome::Kind::fail);
  EXPECT_EQ(f.lines("side.log").size(), 1u) << "notified twice";
  EXPECT_EQ(f.text("SELECT status FROM outbox"), "failed");
  const std::string expected =
      "unknown outcome: the worker stopped after handing the message to the provider; "
      "reconcile via provider events or replay explicitly";
  EXPECT_EQ(f.text("SELECT last_error FROM outbox"), expected);
  EXPECT_EQ(f.text("SELECT status FROM jobs WHERE kind = 'sink.notify'"), "failed");
  EXPECT_EQ(f.text("SELECT last_error FROM jobs WHERE kind = 'sink.notify'"), expected);
  EXPECT_EQ(f.scalar("SELECT attempts FROM outbox"), 1) << "one provider call was started";

  // An explicit replay sends it again (the operator decided).
  const std::int64_t sink = f.scalar("SELECT id FROM jobs WHERE kind = 'sink.notify'");
  pqxx::connection conn(f.conninfo());
  ASSERT_TRUE(f.queue().replay(conn, sink));
  f.drain();
  EXPECT_EQ(f.lines("side.log").size(), 2u);
  EXPECT_EQ(f.text("SELECT status FROM outbox"), "sent");
}

TEST(Outbox, AnExporterWhoseWorkerDiedIsCalledAgainWithTheSameKey) {
  int crashes = 0;
  PipelineFixture f(one_record_to("exporter: mailer"), dies_after_provider_call(crashes));
  f.enqueue_pull("listings", "src");
  f.drain();
  const std::string key = f.text("SELECT idempotency_key FROM jobs WHERE kind = 'sink.export'");
  ASSERT_FALSE(key.empty());
  const auto log = f.lines("side.log");
  ASSERT_EQ(log.size(), 2u) << "called once, then again after the crash";
  EXPECT_EQ(log[0].substr(0, log[0].rfind(' ')), "export " + key);
  EXPECT_EQ(log[1].substr(0, log[1].rfind(' ')), "export " + key) << "another key on the retry";
  EXPECT_EQ(f.text("SELECT status FROM outbox"), "sent");
  EXPECT_EQ(f.text("SELECT provider_id FROM outbox"), "ext-" + key.substr(0, 16));
  EXPECT_EQ(f.scalar("SELECT attempts FROM outbox"), 2);
  EXPECT_EQ(f.text("SELECT status FROM jobs WHERE kind = 'sink.export'"), "succeeded");
}

TEST(Outbox, ARowMarkedSendingByADeadWorkerIsNotResentByANotifier) {
  // The brief's simulation: the earlier attempt marked the row and died; the job runs again.
  PipelineFixture f(one_record_to("notifier: mailer"));
  f.enqueue_pull("listings", "src");
  ASSERT_TRUE(f.run_next("source.pull"));
  ASSERT_TRUE(f.run_next("pipeline.process"));
  const std::string key = f.text("SELECT idempotency_key FROM jobs WHERE kind = 'sink.notify'");
  f.exec(
      "INSERT INTO outbox (tenant_id, idempotency_key, kind, connector_id, status, attempts) "
      "VALUES ('acme', '" +
      key + "', 'notify', 'mailer', 'sending', 1)");
  const auto outcome = f.run_next("sink.notify");
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->kind, JobOutcome::Kind::fail);
  EXPECT_TRUE(f.lines("side.log").empty());
  EXPECT_EQ(f.text("SELECT status FROM outbox"), "failed");
}

TEST(Outbox, ASentRowCompletesTheJobWithoutCallingTheProvider) {
  PipelineFixture f(one_record_to("notifier: mailer"));
  f.enqueue_pull("listings", "src");
  f.drain();
  ASSERT_EQ(f.lines("side.log").size(), 1u);
  EXPECT_EQ(f.text("SELECT provider_id FROM outbox"), "msg-L0");
  // The worker died after marking 'sent' and before completing: the job runs again.
  const std::int64_t sink = f.scalar("SELECT id FROM jobs WHERE kind = 'sink.notify'");
  const auto handlers = reos::pipeline_exec::pipeline_handlers(f.runtime());
  EXPECT_EQ(handlers.at("sink.notify")(f.job(sink)).kind, JobOutcome::Kind::ok);
  EXPECT_EQ(f.lines("side.log").size(), 1u);
}

TEST(Outbox, ProviderRetryReturnsTheRowToPendingAndFailMarksItFailed) {
  PipelineFixture f(one_record_to("notifier: mailer"));
  f.enqueue_pull("listings", "src");
  ASSERT_TRUE(f.run_next("source.pull"));
  ASSERT_TRUE(f.run_next("pipeline.process"));
  f.write("mailer.fail", "retry\n");
  auto outcome = f.run_next("sink.notify");
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->kind, JobOutcome::Kind::retry);
  EXPECT_EQ(f.text("SELECT status FROM outbox"), "pending");
  EXPECT_EQ(f.text("SELECT last_error FROM outbox"), "mailer: RETRY: provider unavailable");

  f.write("mailer.fail", "fail\n");
  outcome = f.run_next("sink.notify");
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->kind, JobOutcome::Kind::fail);
  EXPECT_EQ(f.text("SELECT status FROM outbox"), "failed");
  EXPECT_EQ(f.text("SELECT last_error FROM outbox"), "mailer: FAIL: provider refused");
  EXPECT_EQ(f.scalar("SELECT attempts FROM outbox"), 2);
  EXPECT_EQ(f.text("SELECT status FROM jobs WHERE kind = 'sink.notify'"), "failed");
  EXPECT_TRUE(f.lines("side.log").empty());
}
