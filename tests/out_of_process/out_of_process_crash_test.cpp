// A plugin that crashes, aborts, exits or hangs takes down only its reos-plugin-host child:
// the call fails naming the cause, the instance reports failing, calls during the backoff
// are told to retry, and after it the child is respawned. No child outlives its instance.

#include <thread>

#include "out_of_process/out_of_process_fixture.hpp"

namespace reos::test {
namespace {

using plugin_runtime::CallResult;
using plugin_runtime::OutOfProcessOptions;
using std::chrono::milliseconds;

struct HealthEvent {
  bool failing;
  std::string reason;
};

class OutOfProcessCrash : public OutOfProcess {
 protected:
  OutOfProcessOptions options_with_health(milliseconds first_backoff = milliseconds(300)) {
    OutOfProcessOptions options;
    options.first_backoff = first_backoff;
    options.on_health_change = [this](bool failing, const std::string& reason) {
      health.push_back({failing, reason});
    };
    return options;
  }
  std::vector<HealthEvent> health;
};

TEST_F(OutOfProcessCrash, SegfaultFailsTheCallRestartsAfterBackoffAndRecovers) {
  auto p = start(CRASHING_PLUGIN, options_with_health());
  ASSERT_NE(p, nullptr);
  pid_t first_child = p->child_pid();
  EXPECT_EQ(p->enrich(ctx(), R"({"a":1})").status, REOS_OK);

  CallResult crashed = p->enrich(ctx(), R"({"do":"segv"})");
  EXPECT_EQ(crashed.status, REOS_FAIL);
  EXPECT_EQ(crashed.message.rfind("plugin process crashed: killed by SIGSEGV", 0), 0u)
      << crashed.message;
  EXPECT_TRUE(p->failed());
  EXPECT_EQ(p->child_pid(), -1);
  EXPECT_TRUE(fully_reaped(first_child));
  ASSERT_EQ(health.size(), 1u);
  EXPECT_TRUE(health[0].failing);
  EXPECT_EQ(health[0].reason, crashed.message);
  EXPECT_NE(p->status().find("killed by SIGSEGV"), std::string::npos) << p->status();

  CallResult during_backoff = p->enrich(ctx(), R"({"a":2})");
  EXPECT_EQ(during_backoff.status, REOS_RETRY);
  EXPECT_GT(during_backoff.retry_after_ms, 0u);
  EXPECT_LE(during_backoff.retry_after_ms, 300u);
  EXPECT_EQ(during_backoff.message.rfind("plugin process restarting after crash", 0), 0u)
      << during_backoff.message;
  EXPECT_EQ(p->restarts(), 0);

  std::this_thread::sleep_for(milliseconds(during_backoff.retry_after_ms + 20));
  CallResult after = p->enrich(ctx(), R"({"a":3})");
  EXPECT_EQ(after.status, REOS_OK) << after.message;
  EXPECT_EQ(after.output, R"({"a":3})");
  EXPECT_EQ(p->restarts(), 1);
  EXPECT_FALSE(p->failed());
  EXPECT_GT(p->child_pid(), 0);
  EXPECT_NE(p->child_pid(), first_child);
  ASSERT_EQ(health.size(), 2u);
  EXPECT_FALSE(health[1].failing);
  EXPECT_EQ(p->status(), "running");
}

TEST_F(OutOfProcessCrash, AbortIsReportedAsSigabrt) {
  auto p = start(CRASHING_PLUGIN);
  ASSERT_NE(p, nullptr);
  CallResult r = p->enrich(ctx(), R"({"do":"abort"})");
  EXPECT_EQ(r.status, REOS_FAIL);
  EXPECT_EQ(r.message.rfind("plugin process crashed: killed by SIGABRT", 0), 0u) << r.message;
  EXPECT_TRUE(p->failed());
}

TEST_F(OutOfProcessCrash, ExitIsReportedWithItsStatus) {
  auto p = start(CRASHING_PLUGIN);
  ASSERT_NE(p, nullptr);
  CallResult r = p->enrich(ctx(), R"({"do":"exit"})");
  EXPECT_EQ(r.status, REOS_FAIL);
  EXPECT_EQ(r.message, "plugin process crashed: exited with status 7");
}

TEST_F(OutOfProcessCrash, DeadlineOverrunKillsTheChild) {
  auto p = start(CRASHING_PLUGIN, options_with_health());
  ASSERT_NE(p, nullptr);
  pid_t child = p->child_pid();
  auto begun = std::chrono::steady_clock::now();
  CallResult r = p->enrich(ctx("corr-loop", milliseconds(200)), R"({"do":"loop"})");
  auto took = std::chrono::steady_clock::now() - begun;
  EXPECT_EQ(r.status, REOS_FAIL);
  EXPECT_EQ(r.message.rfind("deadline exceeded: plugin killed after ", 0), 0u) << r.message;
  EXPECT_GE(took, milliseconds(200));
  EXPECT_LT(took, milliseconds(2000));
  EXPECT_TRUE(fully_reaped(child));
  EXPECT_TRUE(p->failed());
  ASSERT_EQ(health.size(), 1u);
  EXPECT_EQ(health[0].reason, r.message);
}

TEST_F(OutOfProcessCrash, BackoffDoublesWhileTheChildKeepsCrashing) {
  auto p = start(CRASHING_PLUGIN, options_with_health(milliseconds(50)));
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->enrich(ctx(), R"({"do":"segv"})").status, REOS_FAIL);  // backoff 50 ms
  std::this_thread::sleep_for(milliseconds(70));
  EXPECT_EQ(p->enrich(ctx(), R"({"do":"segv"})").status, REOS_FAIL);  // restarted, backoff 100
  CallResult retry = p->enrich(ctx(), R"({"a":1})");
  EXPECT_EQ(retry.status, REOS_RETRY);
  EXPECT_GT(retry.retry_after_ms, 50u);
  EXPECT_LE(retry.retry_after_ms, 100u);
  EXPECT_EQ(p->restarts(), 1);
}

TEST_F(OutOfProcessCrash, CrashInCreateMakesTheFactoryReturnNull) {
  CallResult created;
  auto p = plugin_runtime::create_out_of_process_instance(CRASHING_PLUGIN, services, ctx(),
                                                          R"({"crash_in_create":true})", created);
  EXPECT_EQ(p, nullptr);
  EXPECT_EQ(created.status, REOS_FAIL);
  EXPECT_EQ(created.message.rfind("plugin process crashed: killed by SIGSEGV", 0), 0u)
      << created.message;
}

TEST_F(OutOfProcessCrash, ChildNeverOutlivesTheInstance) {
  pid_t child = -1;
  {
    auto p = start(CRASHING_PLUGIN);
    ASSERT_NE(p, nullptr);
    child = p->child_pid();
    ASSERT_GT(child, 0);
    EXPECT_EQ(::kill(child, 0), 0);  // alive while the instance is
  }
  EXPECT_TRUE(fully_reaped(child));
}

TEST_F(OutOfProcessCrash, HungChildIsKilledOnDestruction) {
  OutOfProcessOptions options;
  options.shutdown_grace = milliseconds(100);
  pid_t child = -1;
  auto p = start(CRASHING_PLUGIN, options);
  ASSERT_NE(p, nullptr);
  child = p->child_pid();
  ::kill(child, SIGSTOP);  // cannot read SHUTDOWN: destruction must fall back to SIGKILL
  auto begun = std::chrono::steady_clock::now();
  p.reset();
  EXPECT_LT(std::chrono::steady_clock::now() - begun, milliseconds(1500));
  EXPECT_TRUE(fully_reaped(child));
}

TEST_F(OutOfProcessCrash, HostSurvivesWhenTheChildDiesBetweenCalls) {
  auto p = start(CRASHING_PLUGIN, options_with_health(milliseconds(10)));
  ASSERT_NE(p, nullptr);
  ::kill(p->child_pid(), SIGKILL);  // the CALL write hits a dead socket: no SIGPIPE here
  CallResult r = p->enrich(ctx(), R"({"a":1})");
  EXPECT_EQ(r.status, REOS_FAIL);
  EXPECT_NE(r.message.find("killed by SIGKILL"), std::string::npos) << r.message;
  std::this_thread::sleep_for(milliseconds(30));
  EXPECT_EQ(p->enrich(ctx(), R"({"a":1})").status, REOS_OK);
  EXPECT_EQ(p->restarts(), 1);
}

}  // namespace
}  // namespace reos::test
