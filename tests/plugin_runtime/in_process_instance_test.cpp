// An instance in this process: every status path, what the host turns into FAIL, kinds not
// declared, state seen within a call, serialization, and the cost of one call.
#include "plugin_runtime/in_process_instance.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "plugin_runtime/memory_host_services.hpp"
#include "test_plugins.hpp"

using namespace reos::plugin_runtime;

namespace {

class InProcess : public ::testing::Test {
 protected:
  void SetUp() override {
    ctx_.tenant_id = "acme";
    ctx_.connector_id = "echo";
    ctx_.correlation_id = "corr-1";
    ctx_.deadline = std::chrono::milliseconds(5000);
    instance_ = make("test_echo", "{}");
    ASSERT_NE(instance_, nullptr) << created_.message;
  }

  std::unique_ptr<PluginInstance> make(const std::string& plugin, const std::string& settings) {
    services_ = std::make_shared<MemoryHostServices>(settings);
    return create_in_process_instance(PluginLibrary::open(reos::test::test_plugin(plugin)),
                                      services_, ctx_, settings, created_);
  }

  CallContext ctx_;
  CallResult created_;
  std::shared_ptr<MemoryHostServices> services_;
  std::unique_ptr<PluginInstance> instance_;
};

}  // namespace

TEST_F(InProcess, OkCarriesTheOutputAndTheDuration) {
  const CallResult r = instance_->enrich(ctx_, R"({"ListingKey":"A1"})");
  EXPECT_EQ(r.status, REOS_OK);
  ASSERT_TRUE(r.output.has_value());
  EXPECT_EQ(*r.output, R"({"ListingKey":"A1"})");
  EXPECT_GE(r.duration_ms, 0.0);
}

TEST_F(InProcess, RetryCarriesRetryAfterAndMessage) {
  const CallResult r = instance_->enrich(ctx_, R"({"cmd":"retry"})");
  EXPECT_EQ(r.status, REOS_RETRY);
  EXPECT_EQ(r.retry_after_ms, 1500u);
  EXPECT_EQ(r.message, "upstream busy");
}

TEST_F(InProcess, FailAndInvalidCarryTheirMessages) {
  const CallResult fail = instance_->enrich(ctx_, R"({"cmd":"fail"})");
  EXPECT_EQ(fail.status, REOS_FAIL);
  EXPECT_EQ(fail.message, "permanent failure");
  const CallResult invalid = instance_->enrich(ctx_, R"({"cmd":"invalid"})");
  EXPECT_EQ(invalid.status, REOS_INVALID);
  EXPECT_EQ(invalid.message, "bad record");
}

TEST_F(InProcess, AnEnricherThatSetsNoOutputDropsTheRecord) {
  const CallResult r = instance_->enrich(ctx_, R"({"cmd":"drop"})");
  EXPECT_EQ(r.status, REOS_OK);
  EXPECT_FALSE(r.output.has_value());
}

TEST_F(InProcess, AnUnknownStatusBecomesFail) {
  const CallResult r = instance_->enrich(ctx_, R"({"cmd":"unknown_status"})");
  EXPECT_EQ(r.status, REOS_FAIL);
  EXPECT_EQ(r.message, "plugin returned unknown status 42");
}

TEST_F(InProcess, MalformedOutputJsonFailsTheCallEvenIfThePluginSaysOk) {
  const CallResult r = instance_->enrich(ctx_, R"({"cmd":"bad_json"})");
  EXPECT_EQ(r.status, REOS_FAIL);
  EXPECT_EQ(r.message.rfind("plugin passed malformed JSON to set_output: invalid JSON at byte", 0),
            0u)
      << r.message;
  EXPECT_FALSE(r.output.has_value());
}

TEST_F(InProcess, MalformedEmittedJsonFailsThePullAndDiscardsItsRecords) {
  const CallResult r = instance_->pull(ctx_, "emit_bad");
  EXPECT_EQ(r.status, REOS_FAIL);
  EXPECT_NE(r.message.find("malformed JSON to emit"), std::string::npos) << r.message;
  EXPECT_TRUE(r.emitted.empty()) << "nothing of a failed call may be committed";
}

TEST_F(InProcess, AnOverrunDeadlineIsReportedAsFailWithTheTimes) {
  CallContext tight = ctx_;
  tight.deadline = std::chrono::milliseconds(20);
  const CallResult r = instance_->enrich(tight, R"({"cmd":"sleep"})");
  EXPECT_EQ(r.status, REOS_FAIL);
  EXPECT_EQ(r.message.rfind("deadline exceeded: took ", 0), 0u) << r.message;
  EXPECT_NE(r.message.find(" ms, limit 20 ms"), std::string::npos) << r.message;
  EXPECT_FALSE(r.output.has_value());
  EXPECT_GE(r.duration_ms, 100.0);
}

TEST_F(InProcess, CallingAKindThePluginDoesNotImplementIsInvalid) {
  auto lax = make("test_lax", R"({"api_key":"x"})");
  ASSERT_NE(lax, nullptr);
  const CallResult r = lax->score(ctx_, "{}");
  EXPECT_EQ(r.status, REOS_INVALID);
  EXPECT_EQ(r.message, "plugin 'test_lax' is not a scorer (it implements: enricher)");
  auto smaller = make("test_smaller", "{}");
  ASSERT_NE(smaller, nullptr);
  EXPECT_EQ(smaller->webhook(ctx_, WebhookRequest{"POST", "http://x", {}, "{}"}).status,
            REOS_INVALID);
}

TEST_F(InProcess, ACreateThatFailsReturnsNoInstanceAndSaysWhy) {
  auto bad = make("test_echo", "[]");
  EXPECT_EQ(bad, nullptr);
  EXPECT_EQ(created_.status, REOS_INVALID);
  EXPECT_EQ(created_.message, "settings must be a JSON object");
  auto failing = make("test_echo", R"({"fail_create":true})");
  EXPECT_EQ(failing, nullptr);
  EXPECT_EQ(created_.status, REOS_FAIL);
  EXPECT_EQ(created_.message, "told to fail in create");
}

TEST_F(InProcess, StatePutIsBufferedForCommitAndVisibleToStateGetInTheSameCall) {
  const CallResult r = instance_->enrich(ctx_, R"({"cmd":"state"})");
  ASSERT_EQ(r.status, REOS_OK) << r.message;
  EXPECT_EQ(*r.output, R"({"cursor":"42"})");
  ASSERT_EQ(r.state_writes.size(), 1u);
  EXPECT_EQ(r.state_writes[0], (std::pair<std::string, std::string>("cursor", "42")));
  // Not committed: a later call does not see it until the pipeline commits it.
  EXPECT_EQ(*instance_->enrich(ctx_, R"({"cmd":"read_state"})").output, R"({"cursor":null})");
  services_->state_put(ctx_, "cursor", "committed-7");
  EXPECT_EQ(*instance_->enrich(ctx_, R"({"cmd":"read_state"})").output,
            R"({"cursor":"committed-7"})");
}

TEST_F(InProcess, SourcePagesCarryRecordsCursorAndHasMore) {
  const CallResult first = instance_->pull(ctx_, "");
  ASSERT_EQ(first.status, REOS_OK);
  EXPECT_EQ(first.emitted, (std::vector<std::string>{R"({"n":1})", R"({"n":2})"}));
  EXPECT_EQ(first.cursor, "page-2");
  EXPECT_TRUE(first.has_more);
  const CallResult second = instance_->pull(ctx_, *first.cursor);
  EXPECT_EQ(second.emitted.size(), 1u);
  EXPECT_FALSE(second.has_more);
}

TEST_F(InProcess, EveryOtherKindRoundTrips) {
  EXPECT_EQ(*instance_->score(ctx_, R"({"bedrooms":3})").output,
            R"({"score":0.5,"contributions":{"bedrooms":0.1}})");
  EXPECT_EQ(*instance_->notify(ctx_, R"({"to":"a@b.c"})").output, R"({"provider_id":"echo-1"})");
  EXPECT_EQ(*instance_->export_record(ctx_, R"({"id":1})", "idem-9").output,
            R"({"external_id":"idem-9"})");
  const CallResult hook =
      instance_->webhook(ctx_, WebhookRequest{"POST", "http://h/webhooks/x", {}, R"({"e":1})"});
  EXPECT_EQ(hook.status, REOS_OK);
  EXPECT_EQ(hook.emitted, std::vector<std::string>{R"({"e":1})"});
}

TEST_F(InProcess, HttpIsDeniedByTheMemoryServicesAndLogsAreTagged) {
  instance_->enrich(ctx_, R"({"cmd":"log"})");
  const auto lines = services_->log_lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0], "INFO echo says hello");
}

TEST_F(InProcess, CallsFromManyThreadsAllComplete) {
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        ok += instance_->enrich(ctx_, R"({"n":1})").status == REOS_OK ? 1 : 0;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, 800);
}

// The figure behind the "about 2 µs per call" budget; prints it, and fails only when the
// call is grossly slower (sanitizer and debug builds are several times slower than release).
TEST_F(InProcess, RoundTripOfA1KbRecordThroughANoOpEnricherIsCheap) {
  std::string record = R"({"ListingKey":"A1","Remarks":")";
  record += std::string(1024 - record.size() - 2, 'x') + "\"}";
  ASSERT_EQ(record.size(), 1024u);
  auto noop = make("test_noop", "{}");  // echoes its input with set_output, nothing else
  ASSERT_NE(noop, nullptr);
  for (int i = 0; i < 1000; ++i) noop->enrich(ctx_, record);  // warm up
  const int n = 20000;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i) {
    if (noop->enrich(ctx_, record).status != REOS_OK) FAIL();
  }
  const double us =
      std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count() /
      n;
  std::cout << "[ figure   ] in-process enrich round trip, 1 KB record: " << us << " us/call\n";
  RecordProperty("us_per_call", std::to_string(us));
  EXPECT_LT(us, 50.0);
}
