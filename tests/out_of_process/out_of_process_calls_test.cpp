// Calls through reos-plugin-host behave like in-process calls: every kind, every status and
// every result field round-trips, host services are served by the parent with the call's
// context, and refusals at load or create time come back as values.

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "out_of_process/out_of_process_fixture.hpp"

namespace reos::test {
namespace {

using plugin_runtime::CallResult;
using plugin_runtime::OutOfProcessInstance;

TEST_F(OutOfProcess, HelloCarriesThePluginInfo) {
  auto p = start(WIRE_ECHO_PLUGIN);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->info().name, "wire_echo");
  EXPECT_EQ(p->info().version, "0.1.0");
  EXPECT_EQ(p->info().kinds, 0x3Fu);
  EXPECT_EQ(p->info().path, WIRE_ECHO_PLUGIN);
  EXPECT_GT(p->child_pid(), 0);
  EXPECT_NE(p->child_pid(), ::getpid());
  EXPECT_EQ(p->status(), "running");
}

TEST_F(OutOfProcess, EnrichStatusesRoundTrip) {
  auto p = start(WIRE_ECHO_PLUGIN);
  ASSERT_NE(p, nullptr);
  CallResult ok = p->enrich(ctx(), R"({"id":"L1","price":500000})");
  EXPECT_EQ(ok.status, REOS_OK) << ok.message;
  EXPECT_EQ(ok.output, R"({"id":"L1","price":500000})");
  EXPECT_GT(ok.duration_ms, 0);

  CallResult retry = p->enrich(ctx(), R"({"x":"retry"})");
  EXPECT_EQ(retry.status, REOS_RETRY);
  EXPECT_EQ(retry.retry_after_ms, 1500u);
  EXPECT_EQ(retry.message, "busy");

  CallResult fail = p->enrich(ctx(), R"({"x":"fail"})");
  EXPECT_EQ(fail.status, REOS_FAIL);
  EXPECT_EQ(fail.message, "permanent");

  EXPECT_EQ(p->enrich(ctx(), R"({"x":"invalid"})").status, REOS_INVALID);

  CallResult dropped = p->enrich(ctx(), R"({"x":"drop"})");
  EXPECT_EQ(dropped.status, REOS_OK);
  EXPECT_FALSE(dropped.output.has_value());
  EXPECT_FALSE(p->failed());
}

TEST_F(OutOfProcess, PullReturnsEmittedRecordsAndCursor) {
  auto p = start(WIRE_ECHO_PLUGIN);
  ASSERT_NE(p, nullptr);
  CallResult first = p->pull(ctx(), "");
  EXPECT_EQ(first.status, REOS_OK) << first.message;
  EXPECT_EQ(first.emitted, (std::vector<std::string>{R"({"n":1})", R"({"n":2})"}));
  EXPECT_EQ(first.cursor, "page2");
  EXPECT_TRUE(first.has_more);
  CallResult second = p->pull(ctx(), "page2");
  EXPECT_EQ(second.cursor, "end");
  EXPECT_FALSE(second.has_more);
}

TEST_F(OutOfProcess, ScoreNotifyExportAndWebhookRoundTrip) {
  auto p = start(WIRE_ECHO_PLUGIN);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->score(ctx(), "{}").output, R"({"score":0.5,"contributions":{"price":0.25}})");
  EXPECT_EQ(p->notify(ctx(), R"({"to":"a@b.c"})").output, R"({"provider_id":"msg-1"})");
  EXPECT_EQ(p->export_record(ctx(), "{}", "idem-42").output, R"({"external_id":"idem-42"})");

  plugin_runtime::WebhookRequest hook{
      "POST", "https://hub.test/webhooks/x", {{"X-Sig", "s"}}, "12345"};
  CallResult events = p->webhook(ctx(), hook);
  EXPECT_EQ(events.status, REOS_OK) << events.message;
  EXPECT_EQ(events.emitted,
            (std::vector<std::string>{
                R"({"method":"POST","url":"https://hub.test/webhooks/x","body_len":5})"}));
  hook.headers.clear();
  CallResult unsigned_hook = p->webhook(ctx(), hook);
  EXPECT_EQ(unsigned_hook.status, REOS_INVALID);
  EXPECT_EQ(unsigned_hook.message, "missing X-Sig");
}

TEST_F(OutOfProcess, HostServicesAreServedByTheParentWithTheCallContext) {
  auto p = start(WIRE_ECHO_PLUGIN);
  ASSERT_NE(p, nullptr);
  CallResult r = p->enrich(ctx("corr-services"), R"({"x":"services"})");
  ASSERT_EQ(r.status, REOS_OK) << r.message;
  EXPECT_EQ(r.output,
            R"({"seed":"from-parent","seed_status":0,"secret":"s3cret","blob":"JPEGDATA",)"
            R"("blob_status":0,"http_status":0,"http_code":200,"http_body":"avm-ok",)"
            R"("http_headers":1})");
  EXPECT_EQ(r.state_writes, (std::vector<std::pair<std::string, std::string>>{{"k", "v1"}}));

  std::lock_guard lock(services->mutex);
  ASSERT_EQ(services->logs.size(), 1u);
  EXPECT_EQ(services->logs[0].msg, "hello from the plugin");
  EXPECT_EQ(services->logs[0].level, REOS_LOG_INFO);
  EXPECT_EQ(services->logs[0].correlation_id, "corr-services");
  EXPECT_EQ(services->logs[0].connector_id, "conn-1");
  EXPECT_EQ(services->counters["calls"], 2);
  EXPECT_EQ(services->gauges["queue_depth"], 7.5);
  EXPECT_EQ(services->blob_types["photo.jpg"], "image/jpeg");
  EXPECT_EQ(services->http_urls, (std::vector<std::string>{"GET https://vendor.test/v1/avm"}));
}

TEST_F(OutOfProcess, CreateRefusalIsReturnedAndNoChildIsLeft) {
  CallResult created;
  auto p = OutOfProcessInstance::create(WIRE_ECHO_PLUGIN, services, ctx(), R"({"mode":"reject"})",
                                        created);
  EXPECT_EQ(p, nullptr);
  EXPECT_EQ(created.status, REOS_INVALID);
  EXPECT_EQ(created.message, "settings rejected");
}

TEST_F(OutOfProcess, PluginThatFailsToLoadReturnsTheLoadersReason) {
  CallResult created;
  auto p = plugin_runtime::create_out_of_process_instance("/nonexistent/libreos_nope.so", services,
                                                          ctx(), "{}", created);
  EXPECT_EQ(p, nullptr);
  EXPECT_EQ(created.status, REOS_FAIL);
  EXPECT_NE(created.message.find("/nonexistent/libreos_nope.so"), std::string::npos)
      << created.message;
}

TEST_F(OutOfProcess, MissingPluginHostBinaryIsReported) {
  ::setenv("REOS_PLUGIN_HOST", "/nonexistent/reos-plugin-host", 1);
  CallResult created;
  auto p = plugin_runtime::create_out_of_process_instance(WIRE_ECHO_PLUGIN, services, ctx(), "{}",
                                                          created);
  EXPECT_EQ(p, nullptr);
  EXPECT_NE(created.message.find("REOS_PLUGIN_HOST"), std::string::npos) << created.message;
}

TEST_F(OutOfProcess, ChildSpeakingGarbageIsRefusedAsAProtocolError) {
  // A stand-in "plugin host" that answers with an oversize frame header instead of HELLO.
  std::string script = ::testing::TempDir() + "garbage_plugin_host.sh";
  {
    std::ofstream out(script);
    out << "#!/bin/sh\nprintf '\\377\\377\\377\\377\\001' >&3\nsleep 30\n";
  }
  ASSERT_EQ(::chmod(script.c_str(), 0755), 0);
  plugin_runtime::OutOfProcessOptions options;
  options.plugin_host_binary = script;
  CallResult created;
  auto p = OutOfProcessInstance::create(WIRE_ECHO_PLUGIN, services, ctx(), "{}", created, options);
  EXPECT_EQ(p, nullptr);
  EXPECT_NE(created.message.find("protocol error"), std::string::npos) << created.message;
  EXPECT_NE(created.message.find("frame length"), std::string::npos) << created.message;
}

}  // namespace
}  // namespace reos::test
