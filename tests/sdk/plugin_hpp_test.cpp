// How reos/plugin.hpp maps a C++ plugin class onto the C ABI: descriptor, settings, results,
// exceptions, inputs and host services. The plugin under test is sdk_test_plugin, loaded with
// dlopen as the host would load it.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <reos/plugin.hpp>
#include <thread>

#include "fake_host.hpp"

using nlohmann::json;
using sdk_test::FakeHost;
using sdk_test::LoadedPlugin;
using sdk_test::PluginUnderTest;

namespace {

const LoadedPlugin& test_plugin() {
  static const LoadedPlugin plugin(SDK_TEST_PLUGIN_PATH);
  return plugin;
}

/// Calls enrich with {"action": action} on a fresh instance.
reos_call enrich_action(FakeHost& host, const std::string& action, reos_status* status) {
  PluginUnderTest p(test_plugin(), host, "{}");
  EXPECT_EQ(p.create_status, REOS_OK);
  return p.enrich(json{{"action", action}}.dump(), status);
}

}  // namespace

TEST(PluginHppDescriptor, HasTheMagicRecordIdentityAndOneCallbackPerDeclaredKind) {
  const reos_plugin_descriptor& d = test_plugin().descriptor();
  EXPECT_EQ(d.magic, REOS_PLUGIN_MAGIC);
  EXPECT_EQ(d.abi_major, REOS_ABI_VERSION_MAJOR);
  EXPECT_EQ(d.abi_minor, REOS_ABI_VERSION_MINOR);
  EXPECT_EQ(d.struct_size, sizeof(reos_plugin_descriptor));
  EXPECT_EQ(d.min_host_minor, 0);
  EXPECT_STREQ(d.name, "sdk_test_plugin");
  EXPECT_STREQ(d.version, "0.0.1");
  EXPECT_EQ(d.flags, REOS_FLAG_THREAD_SAFE);
  EXPECT_STREQ(d.settings_schema, R"({"type":"object"})");
  EXPECT_EQ(d.kinds, 0x3Fu);
  EXPECT_NE(d.create, nullptr);
  EXPECT_NE(d.destroy, nullptr);
  EXPECT_NE(d.pull, nullptr);
  EXPECT_NE(d.enrich, nullptr);
  EXPECT_NE(d.score, nullptr);
  EXPECT_NE(d.notify, nullptr);
  EXPECT_NE(d.export_record, nullptr);
  EXPECT_NE(d.webhook, nullptr);
}

TEST(PluginHppCreate, BuildsTheObjectAndDestroyDeletesIt) {
  FakeHost host;
  reos_status status;
  {
    PluginUnderTest a(test_plugin(), host, "{}");
    PluginUnderTest b(test_plugin(), host, R"({"page_size": 3})");
    ASSERT_EQ(a.create_status, REOS_OK);
    ASSERT_EQ(b.create_status, REOS_OK);
    EXPECT_NE(a.instance, nullptr);
    reos_call call = a.enrich(R"({"action":"instances"})", &status);
    EXPECT_EQ(json::parse(*call.output)["live"], 2);
    ASSERT_EQ(a.create_call.logs.size(), 1u);
    EXPECT_EQ(a.create_call.logs[0].first, REOS_LOG_INFO);
  }
  PluginUnderTest c(test_plugin(), host, "{}");
  reos_call call = c.enrich(R"({"action":"instances"})", &status);
  EXPECT_EQ(json::parse(*call.output)["live"], 1);
}

TEST(PluginHppCreate, EmptySettingsTextMeansAnEmptyObject) {
  FakeHost host;
  PluginUnderTest p(test_plugin(), host, "");
  EXPECT_EQ(p.create_status, REOS_OK);
}

TEST(PluginHppCreate, InvalidThrownByTheConstructorIsInvalidWithItsMessage) {
  FakeHost host;
  PluginUnderTest p(test_plugin(), host, R"({"fail_with":"invalid"})");
  EXPECT_EQ(p.create_status, REOS_INVALID);
  EXPECT_EQ(p.create_call.message, "settings.fail_with asked for INVALID");
  EXPECT_EQ(p.instance, nullptr);
}

TEST(PluginHppCreate, JsonTypeErrorReadingSettingsIsInvalidSettings) {
  FakeHost host;
  PluginUnderTest p(test_plugin(), host, R"({"page_size":"two"})");
  EXPECT_EQ(p.create_status, REOS_INVALID);
  EXPECT_EQ(p.create_call.message->rfind("invalid settings: [json.exception.type_error", 0), 0u)
      << *p.create_call.message;
}

TEST(PluginHppCreate, RuntimeErrorInTheConstructorIsFailAndLeavesNoInstance) {
  FakeHost host;
  PluginUnderTest p(test_plugin(), host, R"({"fail_with":"runtime"})");
  EXPECT_EQ(p.create_status, REOS_FAIL);
  EXPECT_EQ(p.create_call.message, "constructor failed at run time");
  EXPECT_EQ(p.instance, nullptr);
}

TEST(PluginHppCreate, MalformedOrNonObjectSettingsAreInvalid) {
  FakeHost host;
  PluginUnderTest malformed(test_plugin(), host, R"({"page_size":)");
  EXPECT_EQ(malformed.create_status, REOS_INVALID);
  EXPECT_EQ(malformed.create_call.message->rfind("settings are not valid JSON: ", 0), 0u)
      << *malformed.create_call.message;
  PluginUnderTest array(test_plugin(), host, "[1]");
  EXPECT_EQ(array.create_status, REOS_INVALID);
  EXPECT_EQ(array.create_call.message, "settings must be a JSON object, got array");
}

TEST(PluginHppExceptions, StdExceptionBecomesFailWithWhat) {
  FakeHost host;
  reos_status status;
  reos_call call = enrich_action(host, "runtime_error", &status);
  EXPECT_EQ(status, REOS_FAIL);
  EXPECT_EQ(call.message, "boom from enrich");
  EXPECT_FALSE(call.output);
}

TEST(PluginHppExceptions, RetryBecomesRetryWithRetryAfter) {
  FakeHost host;
  reos_status status;
  reos_call call = enrich_action(host, "retry", &status);
  EXPECT_EQ(status, REOS_RETRY);
  EXPECT_EQ(call.message, "provider busy");
  EXPECT_EQ(call.retry_after_ms, 7000u);
}

TEST(PluginHppExceptions, InvalidBecomesInvalid) {
  FakeHost host;
  reos_status status;
  reos_call call = enrich_action(host, "invalid", &status);
  EXPECT_EQ(status, REOS_INVALID);
  EXPECT_EQ(call.message, "record has no address");
}

TEST(PluginHppExceptions, ThrowingANonExceptionIsFailUnknownException) {
  FakeHost host;
  reos_status status;
  reos_call call = enrich_action(host, "int", &status);
  EXPECT_EQ(status, REOS_FAIL);
  EXPECT_EQ(call.message, "unknown exception");
}

TEST(PluginHppResults, OkWithOutputSetsTheOutputAndNoMessage) {
  FakeHost host;
  reos_status status;
  PluginUnderTest p(test_plugin(), host, "{}");
  reos_call call = p.enrich(R"({"action":"echo","ListingKey":"A1"})", &status);
  EXPECT_EQ(status, REOS_OK);
  EXPECT_EQ(json::parse(*call.output),
            json({{"action", "echo"}, {"ListingKey", "A1"}, {"enriched", true}}));
  EXPECT_FALSE(call.message);
}

TEST(PluginHppResults, DropSetsNoOutput) {
  FakeHost host;
  reos_status status;
  reos_call call = enrich_action(host, "drop", &status);
  EXPECT_EQ(status, REOS_OK);
  EXPECT_FALSE(call.output);
}

TEST(PluginHppResults, RetryAndFailResultsCarryTheirMessage) {
  FakeHost host;
  reos_status status;
  reos_call retry = enrich_action(host, "retry_result", &status);
  EXPECT_EQ(status, REOS_RETRY);
  EXPECT_EQ(retry.message, "slow down");
  EXPECT_EQ(retry.retry_after_ms, 1500u);
  reos_call fail = enrich_action(host, "fail_result", &status);
  EXPECT_EQ(status, REOS_FAIL);
  EXPECT_EQ(fail.message, "permanent refusal");
}

TEST(PluginHppResults, NonObjectOutputIsFailNamingThePluginBug) {
  FakeHost host;
  reos_status status;
  reos_call call = enrich_action(host, "non_object_output", &status);
  EXPECT_EQ(status, REOS_FAIL);
  EXPECT_EQ(call.message, "plugin bug: the output must be a JSON object, got array");
  EXPECT_FALSE(call.output);
}

TEST(PluginHppResults, OutputWithInvalidUtf8IsFail) {
  FakeHost host;
  reos_status status;
  reos_call call = enrich_action(host, "bad_utf8", &status);
  EXPECT_EQ(status, REOS_FAIL);
  EXPECT_NE(call.message->find("UTF-8"), std::string::npos) << *call.message;
}

TEST(PluginHppInput, MalformedJsonIsInvalidInputIsNotValidJson) {
  FakeHost host;
  reos_status status;
  PluginUnderTest p(test_plugin(), host, "{}");
  for (const char* bad : {R"({"action":)", "", "{} trailing", "{'a':1}"}) {
    reos_call call = p.enrich(bad, &status);
    EXPECT_EQ(status, REOS_INVALID) << bad;
    EXPECT_EQ(call.message->rfind("input is not valid JSON: ", 0), 0u) << *call.message;
    EXPECT_FALSE(call.output);
  }
}

TEST(PluginHppInput, ValidJsonThatIsNotAnObjectIsInvalid) {
  FakeHost host;
  reos_status status;
  PluginUnderTest p(test_plugin(), host, "{}");
  reos_call call = p.score("[1,2]", &status);
  EXPECT_EQ(status, REOS_INVALID);
  EXPECT_EQ(call.message, "input must be a JSON object, got array");
  call = p.notify("\"text\"", &status);
  EXPECT_EQ(status, REOS_INVALID);
  EXPECT_EQ(call.message, "input must be a JSON object, got string");
}

TEST(PluginHppServices, StateSecretBlobMetricsLogAndDeadlineRoundTrip) {
  FakeHost host;
  host.secrets["${TOKEN}"] = "s3cret";
  reos_status status;
  PluginUnderTest p(test_plugin(), host, "{}");
  reos_call call = p.enrich(R"({"action":"services"})", &status);
  ASSERT_EQ(status, REOS_OK) << call.message.value_or("");
  const json out = json::parse(*call.output);
  EXPECT_EQ(out["state_before"], "<none>");
  EXPECT_EQ(out["state_after"], "v1");
  EXPECT_EQ(host.state["k"], "v1");
  EXPECT_EQ(out["secret"], "s3cret");
  EXPECT_EQ(out["blob_size"], 5);
  EXPECT_EQ(out["blob_missing"], true);
  EXPECT_EQ(host.blobs["photos/1.jpg"].second, "image/jpeg");
  EXPECT_EQ(out["counter_ok"], true);
  EXPECT_EQ(host.counters["things"], 2.5);
  EXPECT_EQ(out["gauge_ok"], true);
  EXPECT_EQ(host.gauges["level"], 7);
  EXPECT_EQ(out["deadline_ms"], 30000);
  EXPECT_EQ(out["host_minor"], REOS_ABI_VERSION_MINOR);
  EXPECT_EQ(out["has_blob_get"], true);
  ASSERT_EQ(call.logs.size(), 1u);
  EXPECT_EQ(call.logs[0],
            std::make_pair(int32_t{REOS_LOG_WARN}, std::string("services exercised")));
}

TEST(PluginHppServices, UnresolvedSecretIsInvalidNamingTheReferenceOnly) {
  FakeHost host;
  reos_status status;
  reos_call call = enrich_action(host, "missing_secret", &status);
  EXPECT_EQ(status, REOS_INVALID);
  EXPECT_EQ(call.message, "secret reference ${NOPE} does not resolve");
}

TEST(PluginHppServices, HttpSendsTheRequestAndCopiesTheResponse) {
  FakeHost host;
  host.http_handler = [](const sdk_test::FakeHttp&) {
    sdk_test::FakeHttpAnswer a;
    a.http_status = 201;
    a.headers = {{"ETag", "\"v7\""}};
    a.body = R"({"id":"x1"})";
    return a;
  };
  reos_status status;
  PluginUnderTest p(test_plugin(), host, "{}");
  reos_call call = p.enrich(R"({"action":"http","url":"https://api.example/v1/x"})", &status);
  ASSERT_EQ(status, REOS_OK) << call.message.value_or("");
  EXPECT_EQ(json::parse(*call.output),
            json({{"status", 201}, {"etag", "\"v7\""}, {"body", {{"id", "x1"}}}}));
  ASSERT_EQ(host.http_requests.size(), 1u);
  const sdk_test::FakeHttp& sent = host.http_requests[0];
  EXPECT_EQ(sent.method, "POST");
  EXPECT_EQ(sent.url, "https://api.example/v1/x");
  EXPECT_EQ(sent.body, R"({"q":1})");
  EXPECT_EQ(sent.timeout_ms, 3000u);
  ASSERT_EQ(sent.headers.size(), 1u);
  EXPECT_EQ(sent.headers[0].first, "Content-Type");
}

TEST(PluginHppServices, HttpRetryFromTheHostBecomesRetryWithTheHostsReason) {
  FakeHost host;
  host.http_handler = [](const sdk_test::FakeHttp&) {
    sdk_test::FakeHttpAnswer a;
    a.status = REOS_RETRY;
    a.error = "circuit open";
    return a;
  };
  reos_status status;
  PluginUnderTest p(test_plugin(), host, "{}");
  reos_call call = p.enrich(R"({"action":"http","url":"https://api.example/"})", &status);
  EXPECT_EQ(status, REOS_RETRY);
  EXPECT_EQ(call.message, "http POST https://api.example/: circuit open (status 1)");
}

TEST(PluginHppServices, ServiceMissingFromAShortHostTableIsFailNotACrash) {
  FakeHost host;
  // An older host whose table ends before `http` (and sets the rest NULL).
  host.mutable_api().struct_size = static_cast<uint32_t>(offsetof(reos_host_api, http));
  reos_status status;
  PluginUnderTest p(test_plugin(), host, "{}");
  reos_call call = p.enrich(R"({"action":"http","url":"https://api.example/"})", &status);
  EXPECT_EQ(status, REOS_FAIL);
  EXPECT_EQ(call.message, "host service 'http' is not available");
}

TEST(PluginHppSource, EmitsRecordsAndSetsTheCursorAndHasMore) {
  FakeHost host;
  reos_status status;
  PluginUnderTest p(test_plugin(), host, "{}");
  reos_call first = p.pull("", &status);
  EXPECT_EQ(status, REOS_OK);
  EXPECT_EQ(first.emitted, (std::vector<std::string>{R"({"n":0})", R"({"n":1})"}));
  EXPECT_EQ(first.cursor, "2");
  EXPECT_TRUE(first.has_more);
  reos_call last = p.pull("2", &status);
  EXPECT_EQ(last.cursor, "4");
  EXPECT_FALSE(last.has_more);
  EXPECT_FALSE(last.output);
}

TEST(PluginHppWebhook, BadSignatureIsInvalidAndEmitsNothing) {
  FakeHost host;
  reos_status status;
  PluginUnderTest p(test_plugin(), host, "{}");
  reos_call call = p.webhook({{"X-Signature", "forged"}}, R"({"events":[{"id":1}]})", &status);
  EXPECT_EQ(status, REOS_INVALID);
  EXPECT_EQ(call.message, "signature mismatch");
  EXPECT_TRUE(call.emitted.empty());
}

TEST(PluginHppWebhook, GoodSignatureEmitsOneEventPerItemAndReadsHeadersCaseInsensitively) {
  FakeHost host;
  reos_status status;
  PluginUnderTest p(test_plugin(), host, "{}");
  reos_call call =
      p.webhook({{"X-SIGNATURE", "sig-ok"}}, R"({"events":[{"id":1},{"id":2}]})", &status);
  EXPECT_EQ(status, REOS_OK) << call.message.value_or("");
  EXPECT_EQ(call.emitted, (std::vector<std::string>{R"({"id":1})", R"({"id":2})"}));
}

TEST(PluginHppWebhook, BodyThatIsNotJsonIsInvalid) {
  FakeHost host;
  reos_status status;
  PluginUnderTest p(test_plugin(), host, "{}");
  reos_call call = p.webhook({{"x-signature", "sig-ok"}}, "not json", &status);
  EXPECT_EQ(status, REOS_INVALID);
  EXPECT_EQ(call.message->rfind("webhook body is not valid JSON: ", 0), 0u) << *call.message;
}

TEST(PluginHppExporterAndNotifier, PassTheIdempotencyKeyAndReturnTheProviderId) {
  FakeHost host;
  reos_status status;
  PluginUnderTest p(test_plugin(), host, "{}");
  reos_call exported = p.export_record(R"({"id":1})", "tenant/lead/42/v3", &status);
  EXPECT_EQ(status, REOS_OK);
  EXPECT_EQ(json::parse(*exported.output), json({{"external_id", "tenant/lead/42/v3"}}));
  reos_call sent = p.notify(R"({"to":"a@b.example","text":"hi"})", &status);
  EXPECT_EQ(status, REOS_OK);
  EXPECT_EQ(json::parse(*sent.output), json({{"provider_id", "msg-a@b.example"}}));
  reos_call missing = p.notify(R"({"text":"hi"})", &status);  // .at("to") throws out_of_range
  EXPECT_EQ(status, REOS_FAIL);
}

TEST(PluginHppThreading, ConcurrentCallsOnAThreadSafeInstanceAreIndependent) {
  FakeHost host;
  PluginUnderTest p(test_plugin(), host, "{}");
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&p, &wrong, t] {
      for (int i = 0; i < 200; ++i) {
        reos_status status;
        json features = json::object();
        for (int k = 0; k <= (t + i) % 5; ++k) features["f" + std::to_string(k)] = k;
        reos_call call = p.score(features.dump(), &status);
        if (status != REOS_OK || json::parse(*call.output)["score"] != features.size()) ++wrong;
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
}

// ---- the header's own types, in process ------------------------------------------------------

TEST(PluginHppTypes, HostHasChecksTheTableLengthAndNullEntries) {
  FakeHost host;
  reos::Host h(host.api());
  EXPECT_TRUE(h.has(&reos_host_api::last_error));
  host.mutable_api().blob_get = nullptr;
  EXPECT_FALSE(h.has(&reos_host_api::blob_get));
  host.mutable_api().struct_size = static_cast<uint32_t>(offsetof(reos_host_api, log));
  EXPECT_FALSE(h.has(&reos_host_api::log));
}

TEST(PluginHppTypes, ResultFactoriesSetStatusMessageAndDelay) {
  EXPECT_EQ(reos::Result::ok().status(), REOS_OK);
  EXPECT_FALSE(reos::Result::drop().output().has_value());
  const reos::Result r = reos::Result::retry(std::chrono::seconds(2), "later");
  EXPECT_EQ(r.status(), REOS_RETRY);
  EXPECT_EQ(r.retry_after(), std::chrono::milliseconds(2000));
  EXPECT_EQ(r.message(), "later");
  EXPECT_EQ(reos::Result::invalid("x").status(), REOS_INVALID);
  EXPECT_EQ(reos::Result::fail("y").status(), REOS_FAIL);
}
