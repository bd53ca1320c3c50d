// The sendgrid plugin (libreos_sendgrid.so) end to end through the real host runtime: loaded
// as the hub loads it, Mail Send over loopback HTTP against SendGridTestServer through the
// host's ConnectorHttpClient (retries, timeouts), and signed event webhooks verified with the
// official vectors and with signatures made by the openssl CLI.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>

#include "contract_schema.hpp"
#include "openssl_cli.hpp"
#include "plugin_runtime/in_process_instance.hpp"
#include "plugin_runtime/isolation_factory.hpp"
#include "plugin_runtime/plugin_library.hpp"
#include "sendgrid_test_server.hpp"
#include "support/loopback_host_services.hpp"

using namespace reos::plugin_runtime;
using nlohmann::json;
using reos::test::contract_problems;
using reos::test::LoopbackHostServices;
using reos::test::SendGridTestServer;

namespace {

constexpr char kKey[] = "SG.test-key.0123456789";

json message(const std::string& id = "m-1") {
  return {{"message_id", id},
          {"tenant", "acme"},
          {"channel", "email"},
          {"to", "buyer@example.com"},
          {"subject", "New listing"},
          {"text", "A new listing matches your search."},
          {"html", "<p>A new listing matches your search.</p>"}};
}

class SendGridPlugin : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv("SENDGRID_TEST_KEY", kKey, 1);
    ctx_.tenant_id = "acme";
    ctx_.connector_id = "sendgrid";
    ctx_.correlation_id = "corr-sendgrid";
    ctx_.deadline = std::chrono::milliseconds(10000);
  }
  void TearDown() override { ::unsetenv("SENDGRID_TEST_KEY"); }

  void create(json extra = json::object()) {
    json settings = {{"api_key", "${SENDGRID_TEST_KEY}"},
                     {"base_url", server_.base_url()},
                     {"from", "office@acme-realty.example"}};
    settings.update(extra);
    services_ = std::make_shared<LoopbackHostServices>(settings.dump(),
                                                       LoopbackHostServices::test_http_settings());
    CallResult created;
    instance_ = create_in_process_instance(PluginLibrary::open(SENDGRID_PLUGIN), services_, ctx_,
                                           settings.dump(), created);
    ASSERT_NE(instance_, nullptr) << created.message;
  }

  CallResult notify(const json& m) { return instance_->notify(ctx_, m.dump()); }

  CallResult post(const std::string& body, const std::string& timestamp,
                  const std::string& signature) {
    WebhookRequest r;
    r.method = "POST";
    r.url = "https://hub.example/webhooks/acme/sendgrid";
    r.headers = {{"Content-Type", "application/json"},
                 {"X-Twilio-Email-Event-Webhook-Signature", signature},
                 {"X-Twilio-Email-Event-Webhook-Timestamp", timestamp}};
    r.body = body;
    return instance_->webhook(ctx_, r);
  }

  SendGridTestServer server_{kKey};
  std::shared_ptr<LoopbackHostServices> services_;
  std::unique_ptr<PluginInstance> instance_;
  CallContext ctx_;
};

json vectors() {
  std::ifstream in(std::string(REOS_VECTORS_DIR) + "/sendgrid_eventwebhook.json");
  return json::parse(in);
}

/// One event of every type, CRLF between events and at the end, as SendGrid posts them.
std::string every_event_type_body() {
  const char* types[] = {"processed",
                         "dropped",
                         "delivered",
                         "deferred",
                         "bounce",
                         "bounce",
                         "open",
                         "click",
                         "spamreport",
                         "unsubscribe",
                         "group_unsubscribe",
                         "group_resubscribe"};
  std::string body = "[";
  int n = 0;
  for (const char* t : types) {
    json e = {{"email", "buyer@example.com"},
              {"event", t},
              {"sg_event_id", "ev" + std::to_string(n)},
              {"sg_message_id", "MSGID.filter-1"},
              {"timestamp", 1732500000 + n},
              {"reos_message_id", "m-1"},
              {"reos_tenant", "acme"}};
    if (n == 5) e["type"] = "blocked";
    if (std::string(t) == "click") e["url"] = "https://acme-realty.example/l/42";
    body += (n++ ? ",\r\n" : "") + e.dump();
  }
  return body + "]\r\n";
}

}  // namespace

TEST_F(SendGridPlugin, SendsOverHttpAndReturnsTheXMessageId) {
  create();
  ASSERT_EQ(contract_problems("message.json", message().dump()), "");
  const CallResult r = notify(message());
  ASSERT_EQ(r.status, REOS_OK) << r.message;
  const auto accepted = server_.accepted();
  ASSERT_EQ(accepted.size(), 1u);
  EXPECT_EQ(json::parse(*r.output), json({{"provider_id", accepted[0].second}}));
  const json& body = accepted[0].first;
  EXPECT_EQ(body.at("custom_args").at("reos_message_id"), "m-1");
  EXPECT_EQ(body.at("custom_args").at("reos_tenant"), "acme");
  EXPECT_EQ(body.at("content")[0].at("type"), "text/plain");
  EXPECT_EQ(server_.last_headers().at("authorization"), std::string("Bearer ") + kKey);
  EXPECT_EQ(server_.last_headers().at("content-type"), "application/json");
  EXPECT_EQ(services_->metric("sendgrid_sent"), 1);
}

TEST_F(SendGridPlugin, RateLimitedAfterTheHostsRetryIsRetryAtTheReset) {
  create();
  server_.faults.rate_limited = 5;
  server_.faults.reset_in_s = 30;
  const CallResult r = notify(message());
  ASSERT_EQ(r.status, REOS_RETRY) << r.message;
  EXPECT_EQ(server_.requests.load(), 2);  // the host's client retried once, then gave up
  EXPECT_GE(r.retry_after_ms, 28000u);
  EXPECT_LE(r.retry_after_ms, 31000u);
  EXPECT_NE(r.message.find("rate limited"), std::string::npos) << r.message;
}

TEST_F(SendGridPlugin, OneRateLimitedAnswerIsRetriedByTheHostAndSucceeds) {
  create();
  server_.faults.rate_limited = 1;
  server_.faults.reset_in_s = 0;
  const CallResult r = notify(message());
  ASSERT_EQ(r.status, REOS_OK) << r.message;
  EXPECT_EQ(server_.requests.load(), 2);
  EXPECT_EQ(server_.accepted().size(), 1u);
}

TEST_F(SendGridPlugin, ServerErrorIsRetryWithoutASecondPost) {
  create();
  server_.faults.server_errors = 1;
  const CallResult r = notify(message());
  ASSERT_EQ(r.status, REOS_RETRY) << r.message;
  // A POST that reached the server is not repeated inside the call: a retry of the whole
  // message is the host's decision (a 500 may or may not have sent the mail).
  EXPECT_EQ(server_.requests.load(), 1);
  EXPECT_NE(r.message.find("An internal server error occurred."), std::string::npos);
}

TEST_F(SendGridPlugin, ValidationErrorsFailWithSendGridsTextNamingTheField) {
  create();
  json m = message();
  m["categories"] = json::array();
  for (int i = 0; i < 11; ++i) m["categories"].push_back("c" + std::to_string(i));
  m["to"] = "not-an-address";
  const CallResult r = notify(m);
  ASSERT_EQ(r.status, REOS_FAIL) << r.message;
  EXPECT_NE(r.message.find("personalizations.0.to.0.email: Does not contain a valid address."),
            std::string::npos)
      << r.message;
  EXPECT_NE(r.message.find("categories: Too many categories"), std::string::npos) << r.message;
}

TEST_F(SendGridPlugin, AWrongApiKeyIsInvalidSettings) {
  ::setenv("SENDGRID_TEST_KEY", "SG.wrong", 1);
  create();
  const CallResult r = notify(message());
  ASSERT_EQ(r.status, REOS_INVALID) << r.message;
  EXPECT_NE(r.message.find("authorization grant is invalid"), std::string::npos) << r.message;
  EXPECT_NE(r.message.find("settings.api_key"), std::string::npos);
}

TEST_F(SendGridPlugin, SlowReplyPastTheTimeoutIsRetry) {
  create({{"timeout_ms", 300}});
  server_.faults.slow_ms = 1500;
  const CallResult r = notify(message());
  EXPECT_EQ(r.status, REOS_RETRY) << r.message;
  EXPECT_FALSE(r.message.empty());
}

TEST_F(SendGridPlugin, MalformedErrorBodyFailsWithTheRawText) {
  create();
  server_.faults.malformed = true;
  const CallResult r = notify(message());
  ASSERT_EQ(r.status, REOS_FAIL) << r.message;
  EXPECT_NE(r.message.find("unexpected body: <html>"), std::string::npos) << r.message;
}

TEST_F(SendGridPlugin, TemplateSendCarriesTemplateIdAndData) {
  create();
  json m = message();
  m.erase("subject");
  m.erase("text");
  m.erase("html");
  m["template_id"] = "d-11112222333344445555666677778888";
  m["template_data"] = {{"price", "$650,000"}};
  const CallResult r = notify(m);
  ASSERT_EQ(r.status, REOS_OK) << r.message;
  const json body = server_.accepted().at(0).first;
  EXPECT_EQ(body.at("template_id"), "d-11112222333344445555666677778888");
  EXPECT_EQ(body.at("personalizations")[0].at("dynamic_template_data").at("price"), "$650,000");
}

TEST_F(SendGridPlugin, BadMessagesAndBadSettingsAreInvalid) {
  create();
  json m = message();
  m.erase("to");
  const CallResult r = notify(m);
  EXPECT_EQ(r.status, REOS_INVALID);
  EXPECT_EQ(r.message, "message.to: required");
  EXPECT_EQ(server_.requests.load(), 0);

  CallResult created;
  const json bad = {{"api_key", "SG.literal-key"}};
  auto s = std::make_shared<LoopbackHostServices>(bad.dump(),
                                                  LoopbackHostServices::test_http_settings());
  EXPECT_EQ(create_in_process_instance(PluginLibrary::open(SENDGRID_PLUGIN), s, ctx_, bad.dump(),
                                       created),
            nullptr);
  EXPECT_EQ(created.status, REOS_INVALID);
  EXPECT_NE(created.message.find("settings.api_key"), std::string::npos) << created.message;
  const json bad_key = {{"api_key", "${SENDGRID_TEST_KEY}"}, {"webhook_public_key", "abcd"}};
  EXPECT_EQ(create_in_process_instance(PluginLibrary::open(SENDGRID_PLUGIN), s, ctx_,
                                       bad_key.dump(), created),
            nullptr);
  EXPECT_NE(created.message.find("settings.webhook_public_key"), std::string::npos);
}

TEST_F(SendGridPlugin, OfficialVectorsThroughTheWebhookEmitEvents) {
  const json all = vectors();
  for (const auto& v : all.at("vectors")) {
    create({{"webhook_public_key", v.at("public_key")}});
    const CallResult r = post(v.at("payload_exact"), v.at("timestamp"), v.at("signature"));
    ASSERT_EQ(r.status, REOS_OK) << v.at("name") << ": " << r.message;
    for (const auto& e : r.emitted) EXPECT_EQ(contract_problems("message_event.json", e), "") << e;
    if (v.at("name") == "single_event_dropped_with_trailing_crlf") {
      ASSERT_EQ(r.emitted.size(), 1u);
      const json e = json::parse(r.emitted[0]);
      EXPECT_EQ(e.at("type"), "dropped");
      EXPECT_EQ(e.at("provider_event_id"), "ZHJvcC0xMDk5NDkxOS1MUnpYbF9OSFN0T0doUTRrb2ZTbV9BLTA");
      EXPECT_EQ(e.at("provider_message_id"), "LRzXl_NHStOGhQ4kofSm_A");
      EXPECT_EQ(e.at("reason"), "Bounced Address");
    } else if (v.at("name") == "multi_event_processed_bounce_crlf_between_events") {
      ASSERT_EQ(r.emitted.size(), 2u);
      EXPECT_EQ(json::parse(r.emitted[0]).at("type"), "processed");
      EXPECT_EQ(json::parse(r.emitted[1]).at("type"), "blocked");  // bounce with type=blocked
    } else {
      EXPECT_TRUE(r.emitted.empty());  // "test_event" is no delivery event: skipped, counted
      EXPECT_EQ(services_->metric("sendgrid_events_skipped"), 1);
    }
  }
}

TEST_F(SendGridPlugin, WebhookWithoutTheCrlfOrWithAnotherKeyIsRefused) {
  const json all = vectors();
  const json& v = all.at("vectors")[0];
  create({{"webhook_public_key", v.at("public_key")}});
  std::string stripped = v.at("payload_exact");
  stripped.resize(stripped.size() - 2);
  CallResult r = post(stripped, v.at("timestamp"), v.at("signature"));
  EXPECT_EQ(r.status, REOS_INVALID);
  EXPECT_NE(r.message.find("signature does not match"), std::string::npos) << r.message;
  EXPECT_TRUE(r.emitted.empty());
  r = post(v.at("payload_exact"), "", v.at("signature"));
  EXPECT_EQ(r.status, REOS_INVALID);
  EXPECT_NE(r.message.find("X-Twilio-Email-Event-Webhook-Timestamp"), std::string::npos);
  r = post(v.at("payload_exact"), v.at("timestamp"), "");
  EXPECT_EQ(r.status, REOS_INVALID);
  EXPECT_NE(r.message.find("X-Twilio-Email-Event-Webhook-Signature"), std::string::npos);

  create();  // no public key configured: nothing is accepted unsigned
  r = post(v.at("payload_exact"), v.at("timestamp"), v.at("signature"));
  EXPECT_EQ(r.status, REOS_INVALID);
  EXPECT_NE(r.message.find("webhook_public_key is not set"), std::string::npos);
}

TEST_F(SendGridPlugin, EveryEventTypeSignedByOpensslWithAFreshKey) {
  reos::test::OpensslCli openssl;
  create({{"webhook_public_key", openssl.new_p256_key()}});
  const std::string body = every_event_type_body();
  const std::string ts = std::to_string(std::time(nullptr));
  const CallResult r = post(body, ts, openssl.ecdsa_sign(ts + body));
  ASSERT_EQ(r.status, REOS_OK) << r.message;
  const std::vector<std::string> expected = {"processed",
                                             "dropped",
                                             "delivered",
                                             "deferred",
                                             "bounced",
                                             "blocked",
                                             "opened",
                                             "clicked",
                                             "spam_reported",
                                             "unsubscribed",
                                             "group_unsubscribed",
                                             "group_resubscribed"};
  ASSERT_EQ(r.emitted.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(contract_problems("message_event.json", r.emitted[i]), "") << r.emitted[i];
    const json e = json::parse(r.emitted[i]);
    EXPECT_EQ(e.at("type"), expected[i]);
    EXPECT_EQ(e.at("provider_event_id"), "ev" + std::to_string(i));
    EXPECT_EQ(e.at("message_id"), "m-1");
    EXPECT_EQ(e.at("provider_message_id"), "MSGID");
  }
  EXPECT_EQ(json::parse(r.emitted[7]).at("url"), "https://acme-realty.example/l/42");
  // The contract check itself refuses what the host would not accept.
  EXPECT_NE(contract_problems("message_event.json",
                              R"({"provider_event_id":"x","type":"bounce","channel":"email"})"),
            "");

  // The same signature over a body with one byte changed is refused.
  std::string altered = body;
  altered[body.find("buyer")] = 'B';
  EXPECT_EQ(post(altered, ts, openssl.ecdsa_sign(ts + body)).status, REOS_INVALID);
}

TEST_F(SendGridPlugin, TimestampToleranceRefusesOldSignaturesWhenSet) {
  reos::test::OpensslCli openssl;
  const std::string key = openssl.new_p256_key();
  const std::string body = "[{\"event\":\"open\",\"sg_event_id\":\"x1\"}]\r\n";
  const std::string old = std::to_string(std::time(nullptr) - 3600);
  const std::string sig = openssl.ecdsa_sign(old + body);
  create({{"webhook_public_key", key}, {"timestamp_tolerance_s", 300}});
  CallResult r = post(body, old, sig);
  EXPECT_EQ(r.status, REOS_INVALID);
  EXPECT_NE(r.message.find("outside timestamp_tolerance_s"), std::string::npos) << r.message;
  create({{"webhook_public_key", key}});  // 0: no window (the inbox dedupes replays)
  r = post(body, old, sig);
  EXPECT_EQ(r.status, REOS_OK) << r.message;
  EXPECT_EQ(r.emitted.size(), 1u);
}

TEST_F(SendGridPlugin, SignedButUnparsableBodyFailsWithAReason) {
  reos::test::OpensslCli openssl;
  create({{"webhook_public_key", openssl.new_p256_key()}});
  const std::string body = "[{\"event\":\"open\",";
  const std::string ts = std::to_string(std::time(nullptr));
  const CallResult r = post(body, ts, openssl.ecdsa_sign(ts + body));
  EXPECT_EQ(r.status, REOS_FAIL);
  EXPECT_EQ(r.message, "sendgrid: signed body is not JSON");
}

TEST_F(SendGridPlugin, WorksTheSameInAChildProcess) {
  // `isolation: process`: the plugin runs in reos-plugin-host; http and secrets cross the wire.
  ::setenv("REOS_PLUGIN_HOST", REOS_PLUGIN_HOST_BINARY, 1);
  const json v = vectors().at("vectors")[1];
  const json settings = {{"api_key", "${SENDGRID_TEST_KEY}"},
                         {"base_url", server_.base_url()},
                         {"from", "office@acme-realty.example"},
                         {"webhook_public_key", v.at("public_key")}};
  services_ = std::make_shared<LoopbackHostServices>(settings.dump(),
                                                     LoopbackHostServices::test_http_settings());
  CallResult created;
  instance_ = create_isolated_instance(SENDGRID_PLUGIN, services_, ctx_, settings.dump(), created);
  ASSERT_NE(instance_, nullptr) << created.message;
  const CallResult sent = notify(message());
  ASSERT_EQ(sent.status, REOS_OK) << sent.message;
  EXPECT_EQ(json::parse(*sent.output).at("provider_id"), server_.accepted().at(0).second);
  const CallResult events = post(v.at("payload_exact"), v.at("timestamp"), v.at("signature"));
  ASSERT_EQ(events.status, REOS_OK) << events.message;
  EXPECT_EQ(events.emitted.size(), 2u);
  EXPECT_EQ(post(v.at("payload_exact"), v.at("timestamp"), "MEUCIQ==").status, REOS_INVALID);
  ::unsetenv("REOS_PLUGIN_HOST");
}
