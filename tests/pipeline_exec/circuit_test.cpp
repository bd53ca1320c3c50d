// One circuit breaker per tenant connector: an open circuit defers jobs without using
// attempts, and they run once the cooldown is over.
#include <gtest/gtest.h>

#include <thread>

#include "pipeline_fixture.hpp"

using reos::net::CircuitState;
using reos::queue::JobOutcome;
using reos::test::PipelineFixture;
using reos::test::tenant_yaml;
using namespace std::chrono_literals;

namespace {

reos::pipeline_exec::PipelineRuntimeOptions quick_breaker() {
  reos::pipeline_exec::PipelineRuntimeOptions options;
  options.breaker.failure_threshold = 2;
  options.breaker.window = 60s;
  options.breaker.cooldown = 700ms;
  return options;
}

const reos::pipeline_exec::ConnectorRuntimeStatus* status_of(
    const std::vector<reos::pipeline_exec::ConnectorRuntimeStatus>& all,
    const std::string& connector) {
  for (const auto& s : all) {
    if (s.tenant_id == "acme" && s.connector_id == connector) return &s;
  }
  return nullptr;
}

}  // namespace

TEST(CircuitBreaker, AnOpenCircuitDefersJobsWithoutBurningAttemptsThenRunsAfterCooldown) {
  PipelineFixture f(tenant_yaml("{ pages: 1, per_page: 4 }",
                                "      - id: all\n        to: [{ notifier: mailer }]\n"),
                    quick_breaker(), 3);
  f.enqueue_pull("listings", "src");
  ASSERT_TRUE(f.run_next("source.pull"));
  ASSERT_TRUE(f.run_next("pipeline.process"));
  ASSERT_EQ(f.scalar("SELECT count(*) FROM jobs WHERE kind = 'sink.notify'"), 4);

  f.write("mailer.fail", "retry\n");
  for (int i = 0; i < 2; ++i) {
    const auto outcome = f.run_next("sink.notify");
    ASSERT_TRUE(outcome);
    EXPECT_EQ(outcome->kind, JobOutcome::Kind::retry) << "attempt " << i;
  }
  // Two failures opened the circuit: the next jobs are not attempted.
  for (int i = 0; i < 4; ++i) {
    const auto outcome = f.run_next("sink.notify");
    if (!outcome) break;
    EXPECT_EQ(outcome->kind, JobOutcome::Kind::defer) << outcome->message;
    EXPECT_EQ(outcome->message, "circuit open for connector 'mailer'; not attempted");
    EXPECT_LE(outcome->retry_after, 700ms);
    EXPECT_GT(outcome->retry_after, 0ms);
  }
  EXPECT_EQ(f.scalar("SELECT sum(attempts) FROM jobs WHERE kind = 'sink.notify'"), 2)
      << "deferred jobs used up attempts";
  EXPECT_EQ(f.scalar("SELECT count(*) FROM jobs WHERE kind = 'sink.notify' AND status = 'queued' "
                     "AND run_at > now()"),
            4)
      << "every job waits for the cooldown";
  EXPECT_EQ(f.scalar("SELECT count(*) FROM outbox WHERE status = 'sending'"), 0);

  auto statuses = f.runtime().connector_statuses();
  const auto* mailer = status_of(statuses, "mailer");
  ASSERT_NE(mailer, nullptr);
  EXPECT_EQ(mailer->circuit, CircuitState::open);
  ASSERT_TRUE(mailer->open_until.has_value());
  EXPECT_GT(*mailer->open_until, std::chrono::system_clock::now());
  EXPECT_EQ(mailer->calls_failed, 2);
  EXPECT_EQ(mailer->calls_ok, 0);
  const std::string metrics = f.metrics().render();
  EXPECT_NE(metrics.find("reos_connector_circuit_state{tenant=\"acme\",connector=\"mailer\"} 2"),
            std::string::npos)
      << metrics;

  f.remove("mailer.fail");
  std::this_thread::sleep_for(750ms);
  f.drain();
  EXPECT_EQ(f.lines("side.log").size(), 4u);
  EXPECT_EQ(f.scalar("SELECT count(*) FROM jobs WHERE kind = 'sink.notify' AND status = "
                     "'succeeded'"),
            4)
      << "max_attempts is 3: a deferral that burned attempts would have killed jobs";
  EXPECT_EQ(f.scalar("SELECT sum(attempts) FROM jobs WHERE kind = 'sink.notify'"), 2 * 2 + 2);
  statuses = f.runtime().connector_statuses();
  mailer = status_of(statuses, "mailer");
  ASSERT_NE(mailer, nullptr);
  EXPECT_EQ(mailer->circuit, CircuitState::closed);
  EXPECT_FALSE(mailer->open_until.has_value());
  EXPECT_EQ(mailer->calls_ok, 4);
  EXPECT_NE(f.metrics().render().find(
                "reos_connector_circuit_state{tenant=\"acme\",connector=\"mailer\"} 0"),
            std::string::npos);
}

TEST(CircuitBreaker, AnOpenSourceCircuitDefersThePull) {
  PipelineFixture f(tenant_yaml("{ pages: 1, per_page: 1, fail_file: \"{dir}/src.fail\" }",
                                "      - id: all\n        to: [{ notifier: mailer }]\n"),
                    quick_breaker());
  f.write("src.fail", "x\n");
  const auto pull = f.enqueue_pull("listings", "src");
  ASSERT_EQ(f.run_next("source.pull")->kind, JobOutcome::Kind::retry);
  // The plugin's retry-after (100 ms) is a floor.
  std::this_thread::sleep_for(150ms);
  ASSERT_EQ(f.run_next("source.pull")->kind, JobOutcome::Kind::retry);
  std::this_thread::sleep_for(150ms);
  const auto deferred = f.run_next("source.pull");
  ASSERT_TRUE(deferred);
  EXPECT_EQ(deferred->kind, JobOutcome::Kind::defer);
  EXPECT_EQ(f.job(pull).attempts, 2);
  EXPECT_EQ(f.job(pull).last_error, "circuit open for connector 'src'; not attempted");
}
