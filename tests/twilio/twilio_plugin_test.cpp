// The twilio plugin (libreos_twilio.so) end to end through the real host runtime: the Messages
// API over loopback HTTP against TwilioTestServer through the host's ConnectorHttpClient, and
// webhooks signed with HMAC-SHA1 by the openssl CLI (status callbacks, inbound SMS, opt-out
// keywords, port variants, bodySHA256).
#include <gtest/gtest.h>
#include <stdlib.h>

#include <nlohmann/json.hpp>

#include "contract_schema.hpp"
#include "form_encoding.hpp"
#include "openssl_cli.hpp"
#include "plugin_runtime/in_process_instance.hpp"
#include "plugin_runtime/isolation_factory.hpp"
#include "plugin_runtime/plugin_library.hpp"
#include "support/loopback_host_services.hpp"
#include "twilio_signature.hpp"
#include "twilio_test_server.hpp"

using namespace reos::plugin_runtime;
using nlohmann::json;
using reos::test::contract_problems;
using reos::test::LoopbackHostServices;
using reos::test::TwilioTestServer;

namespace {

constexpr char kAccount[] = "AC0123456789abcdef0123456789abcdef";
constexpr char kToken[] = "0123456789abcdef0123456789abcdef";
constexpr char kKeySid[] = "SKfedcba9876543210fedcba9876543210";
constexpr char kKeySecret[] = "key-secret-value";
constexpr char kPublicUrl[] = "https://hub.example/webhooks/acme/twilio";

json sms(const std::string& to = "+12065550100") {
  return {{"message_id", "m-1"},
          {"tenant", "acme"},
          {"channel", "sms"},
          {"to", to},
          {"text", "Open house Sat 1-3pm at 123 Main St. Reply STOP to opt out."},
          {"status_callback_url", std::string(kPublicUrl) + "?tenant=acme"}};
}

class TwilioPlugin : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv("TWILIO_TEST_TOKEN", kToken, 1);
    ::setenv("TWILIO_TEST_KEY_SECRET", kKeySecret, 1);
    server_.add_api_key(kKeySid, kKeySecret);
    ctx_.tenant_id = "acme";
    ctx_.connector_id = "twilio";
    ctx_.correlation_id = "corr-twilio";
    ctx_.deadline = std::chrono::milliseconds(10000);
  }
  void TearDown() override {
    ::unsetenv("TWILIO_TEST_TOKEN");
    ::unsetenv("TWILIO_TEST_KEY_SECRET");
  }

  void create(json extra = json::object()) {
    json settings = {
        {"account_sid", kAccount},
        {"auth_token", "${TWILIO_TEST_TOKEN}"},
        {"from", "+15005550006"},
        {"base_url", server_.base_url()},
        {"help_reply", "Acme Realty alerts. Msg&data rates may apply. Reply STOP to opt out."}};
    settings.update(extra);
    services_ = std::make_shared<LoopbackHostServices>(settings.dump(),
                                                       LoopbackHostServices::test_http_settings());
    CallResult created;
    instance_ = create_in_process_instance(PluginLibrary::open(TWILIO_PLUGIN), services_, ctx_,
                                           settings.dump(), created);
    ASSERT_NE(instance_, nullptr) << created.message;
  }

  CallResult notify(const json& m) { return instance_->notify(ctx_, m.dump()); }

  /// Posts `params` to the webhook as Twilio would, signed by the openssl CLI over
  /// `signed_url` + the sorted parameters; the hub sees `received_url`.
  CallResult post_form(const twilio::FormParams& params, const std::string& signed_url,
                       const std::string& received_url, const std::string& token = kToken) {
    twilio::FormParams sorted = params;
    std::sort(sorted.begin(), sorted.end());
    std::string text = signed_url;
    for (const auto& [k, v] : sorted) text += k + v;
    WebhookRequest r;
    r.method = "POST";
    r.url = received_url;
    r.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                 {"X-Twilio-Signature", openssl_.hmac_sha1(token, text)}};
    r.body = twilio::encode_form(params);
    return instance_->webhook(ctx_, r);
  }

  CallResult inbound(const std::string& body, const std::string& sid) {
    return checked(post_form({{"MessageSid", sid},
                              {"SmsSid", sid},
                              {"AccountSid", kAccount},
                              {"From", "+12065550123"},
                              {"To", "+15005550006"},
                              {"Body", body},
                              {"NumMedia", "0"},
                              {"SmsStatus", "received"}},
                             kPublicUrl, kPublicUrl));
  }

  /// `r`, after checking every event it emitted against schemas/message_event.json.
  static CallResult checked(CallResult r) {
    for (const auto& e : r.emitted) EXPECT_EQ(contract_problems("message_event.json", e), "") << e;
    return r;
  }

  TwilioTestServer server_{kAccount, kToken};
  reos::test::OpensslCli openssl_;
  std::shared_ptr<LoopbackHostServices> services_;
  std::unique_ptr<PluginInstance> instance_;
  CallContext ctx_;
};

}  // namespace

TEST_F(TwilioPlugin, SendsAFormPostWithBasicAuthAndTheStatusCallback) {
  create();
  ASSERT_EQ(contract_problems("message.json", sms().dump()), "");
  const CallResult r = notify(sms());
  ASSERT_EQ(r.status, REOS_OK) << r.message;
  const auto accepted = server_.accepted();
  ASSERT_EQ(accepted.size(), 1u);
  EXPECT_EQ(json::parse(*r.output),
            json({{"provider_id", accepted[0].second}, {"status", "queued"}}));
  const auto& form = accepted[0].first;
  EXPECT_EQ(form.at("To"), "+12065550100");
  EXPECT_EQ(form.at("From"), "+15005550006");
  EXPECT_EQ(form.at("Body"), sms().at("text"));
  EXPECT_EQ(form.at("StatusCallback"),
            std::string(kPublicUrl) + "?tenant=acme&reos_message_id=m-1");
  EXPECT_EQ(server_.last_headers().at("content-type"), "application/x-www-form-urlencoded");
  EXPECT_EQ(services_->metric("twilio_sent"), 1);
}

TEST_F(TwilioPlugin, SendsWithAnApiKeyAndAMessagingService) {
  create({{"api_key_sid", kKeySid},
          {"api_key_secret", "${TWILIO_TEST_KEY_SECRET}"},
          {"messaging_service_sid", "MG0123456789abcdef0123456789abcdef"},
          {"from", ""}});
  const CallResult r = notify(sms());
  ASSERT_EQ(r.status, REOS_OK) << r.message;
  const auto form = server_.accepted().at(0).first;
  EXPECT_EQ(form.count("From"), 0u);
  EXPECT_EQ(form.at("MessagingServiceSid"), "MG0123456789abcdef0123456789abcdef");
}

TEST_F(TwilioPlugin, OptedOutRecipientFailsWithTheSuppressMarker) {
  create();
  const CallResult r = notify(sms("+15005550004"));
  ASSERT_EQ(r.status, REOS_FAIL) << r.message;
  EXPECT_NE(r.message.find("21610"), std::string::npos);
  EXPECT_NE(r.message.find("opted out"), std::string::npos);
  ASSERT_TRUE(r.output);
  const json out = json::parse(*r.output);
  EXPECT_EQ(out.at("suppress"), true);
  EXPECT_EQ(out.at("reason"), "opted_out");
  EXPECT_EQ(out.at("provider_code"), 21610);
}

TEST_F(TwilioPlugin, InvalidAndNonMobileNumbersFailWithTheReason) {
  create();
  CallResult r = notify(sms("+15005550001"));
  EXPECT_EQ(r.status, REOS_FAIL);
  EXPECT_NE(
      r.message.find("error 21211: The 'To' number +15005550001 is not a valid phone number."),
      std::string::npos)
      << r.message;
  r = notify(sms("+15005550009"));
  EXPECT_EQ(r.status, REOS_FAIL);
  EXPECT_NE(r.message.find("error 21614"), std::string::npos) << r.message;
  EXPECT_FALSE(r.output);
}

TEST_F(TwilioPlugin, TooManyRequestsIsRetryWithRetryAfter) {
  create();
  server_.faults.rate_limited = 2;
  server_.faults.retry_after_s = 0;
  CallResult r = notify(sms());
  EXPECT_EQ(r.status, REOS_RETRY) << r.message;
  EXPECT_EQ(server_.requests.load(), 2);  // the host's client retried once
  EXPECT_NE(r.message.find("20429"), std::string::npos) << r.message;
  server_.faults.rate_limited = 2;
  server_.faults.retry_after_s = 1;
  r = notify(sms());
  EXPECT_EQ(r.status, REOS_RETRY);
  EXPECT_EQ(r.retry_after_ms, 1000u);
}

TEST_F(TwilioPlugin, ServerErrorSlowReplyAndBadCredentials) {
  create({{"timeout_ms", 300}});
  server_.faults.server_errors = 1;
  EXPECT_EQ(notify(sms()).status, REOS_RETRY);
  EXPECT_EQ(server_.requests.load(), 1);  // a POST that reached the server is not re-sent
  server_.faults.slow_ms = 1500;
  EXPECT_EQ(notify(sms()).status, REOS_RETRY);
  server_.faults.slow_ms = 0;
  ::setenv("TWILIO_TEST_TOKEN", "wrong", 1);
  create();
  const CallResult r = notify(sms());
  EXPECT_EQ(r.status, REOS_INVALID);
  EXPECT_NE(r.message.find("20003"), std::string::npos) << r.message;
}

TEST_F(TwilioPlugin, AnAcceptedMessageWithAnUnreadableBodyIsNotSentTwice) {
  create();
  server_.faults.malformed = true;
  const CallResult r = notify(sms());
  EXPECT_EQ(r.status, REOS_OK) << r.message;
  EXPECT_EQ(json::parse(*r.output).at("provider_id"), "");
  EXPECT_EQ(server_.accepted().size(), 1u);
}

TEST_F(TwilioPlugin, BadMessagesAndSettingsAreInvalid) {
  create();
  json m = sms();
  m.erase("text");
  CallResult r = notify(m);
  EXPECT_EQ(r.status, REOS_INVALID);
  EXPECT_EQ(r.message, "message.text: required");
  m = sms();
  m["channel"] = "email";
  EXPECT_EQ(notify(m).status, REOS_INVALID);
  EXPECT_EQ(server_.requests.load(), 0);
  CallResult created;
  const json bad = {{"account_sid", "AC123"}, {"auth_token", "${TWILIO_TEST_TOKEN}"}};
  EXPECT_EQ(create_in_process_instance(PluginLibrary::open(TWILIO_PLUGIN), services_, ctx_,
                                       bad.dump(), created),
            nullptr);
  EXPECT_EQ(created.status, REOS_INVALID);
  EXPECT_NE(created.message.find("settings.account_sid"), std::string::npos) << created.message;
}

TEST_F(TwilioPlugin, StatusCallbackSignedByOpensslBecomesAnEvent) {
  create();
  const std::string url = std::string(kPublicUrl) + "?tenant=acme&reos_message_id=m-1";
  const twilio::FormParams params = {{"MessageSid", "SM77"},     {"SmsSid", "SM77"},
                                     {"AccountSid", kAccount},   {"MessageStatus", "delivered"},
                                     {"SmsStatus", "delivered"}, {"To", "+12065550100"},
                                     {"From", "+15005550006"},   {"ApiVersion", "2010-04-01"}};
  const CallResult r = checked(post_form(params, url, url));
  ASSERT_EQ(r.status, REOS_OK) << r.message;
  ASSERT_EQ(r.emitted.size(), 1u);
  const json e = json::parse(r.emitted[0]);
  EXPECT_EQ(e.at("type"), "delivered");
  EXPECT_EQ(e.at("provider_event_id"), "SM77:delivered");
  EXPECT_EQ(e.at("message_id"), "m-1");
  // Another token's signature, or a changed parameter, is refused and emits nothing.
  CallResult bad = post_form(params, url, url, "not-the-token");
  EXPECT_EQ(bad.status, REOS_INVALID);
  EXPECT_TRUE(bad.emitted.empty());
  EXPECT_NE(bad.message.find("X-Twilio-Signature does not match"), std::string::npos);
}

TEST_F(TwilioPlugin, PortVariantsOfThePublicUrlAreAccepted) {
  create();
  const twilio::FormParams params = {{"MessageSid", "SM78"}, {"MessageStatus", "sent"}};
  // Twilio signed with :443; the hub's configured public URL has no port, and the reverse.
  EXPECT_EQ(post_form(params, "https://hub.example:443/webhooks/acme/twilio", kPublicUrl).status,
            REOS_OK);
  EXPECT_EQ(post_form(params, kPublicUrl, "https://hub.example:443/webhooks/acme/twilio").status,
            REOS_OK);
  EXPECT_EQ(post_form(params, "https://other.example/webhooks/acme/twilio", kPublicUrl).status,
            REOS_INVALID);
}

TEST_F(TwilioPlugin, EveryOptOutKeywordStartAndHelpFromInboundSms) {
  create();
  int n = 0;
  for (const char* word :
       {"STOP", "stopall", "Unsubscribe", "CANCEL", "end", "QUIT", "REVOKE", "OPTOUT"}) {
    const CallResult r = inbound(word, "SMs" + std::to_string(n++));
    ASSERT_EQ(r.status, REOS_OK) << r.message;
    ASSERT_EQ(r.emitted.size(), 1u);
    const json e = json::parse(r.emitted[0]);
    EXPECT_EQ(e.at("type"), "opted_out") << word;
    EXPECT_EQ(e.at("address"), "+12065550123");
  }
  for (const char* word : {"START", "unstop"})
    EXPECT_EQ(json::parse(inbound(word, "SMs" + std::to_string(n++)).emitted.at(0)).at("type"),
              "opted_in");
  const json help = json::parse(inbound("help", "SMh").emitted.at(0));
  EXPECT_EQ(help.at("type"), "help");
  EXPECT_EQ(help.at("reply"),
            "Acme Realty alerts. Msg&data rates may apply. Reply STOP to opt out.");
  const json reply = json::parse(inbound("Can we see it Sunday?", "SMr").emitted.at(0));
  EXPECT_EQ(reply.at("type"), "inbound");
  EXPECT_EQ(reply.at("body"), "Can we see it Sunday?");
  EXPECT_EQ(reply.at("provider_event_id"), "SMr");
}

TEST_F(TwilioPlugin, JsonBodySignedThroughBodySha256) {
  create();
  const std::string body = R"({"MessageSid":"SM90","MessageStatus":"failed","ErrorCode":30008})";
  const std::string url = std::string(kPublicUrl) + "?bodySHA256=" + twilio::sha256_hex(body);
  WebhookRequest r;
  r.method = "POST";
  r.url = url;
  r.headers = {{"Content-Type", "application/json"},
               {"X-Twilio-Signature", openssl_.hmac_sha1(kToken, url)}};
  r.body = body;
  CallResult result = checked(instance_->webhook(ctx_, r));
  ASSERT_EQ(result.status, REOS_OK) << result.message;
  const json e = json::parse(result.emitted.at(0));
  EXPECT_EQ(e.at("type"), "failed");
  EXPECT_EQ(e.at("reason"), "30008");
  r.body = body + " ";
  result = instance_->webhook(ctx_, r);
  EXPECT_EQ(result.status, REOS_INVALID);
  EXPECT_NE(result.message.find("bodySHA256"), std::string::npos);
}

TEST_F(TwilioPlugin, WorksTheSameInAChildProcess) {
  // `isolation: process`: the FAIL with its suppress output and the signed webhook cross the wire.
  ::setenv("REOS_PLUGIN_HOST", REOS_PLUGIN_HOST_BINARY, 1);
  const json settings = {{"account_sid", kAccount},
                         {"auth_token", "${TWILIO_TEST_TOKEN}"},
                         {"from", "+15005550006"},
                         {"base_url", server_.base_url()}};
  services_ = std::make_shared<LoopbackHostServices>(settings.dump(),
                                                     LoopbackHostServices::test_http_settings());
  CallResult created;
  instance_ = create_isolated_instance(TWILIO_PLUGIN, services_, ctx_, settings.dump(), created);
  ASSERT_NE(instance_, nullptr) << created.message;
  EXPECT_EQ(notify(sms()).status, REOS_OK);
  const CallResult opted_out = notify(sms("+15005550004"));
  EXPECT_EQ(opted_out.status, REOS_FAIL);
  ASSERT_TRUE(opted_out.output);
  EXPECT_EQ(json::parse(*opted_out.output).at("suppress"), true);
  const CallResult stop = inbound("STOP", "SMx1");
  ASSERT_EQ(stop.status, REOS_OK) << stop.message;
  EXPECT_EQ(json::parse(stop.emitted.at(0)).at("type"), "opted_out");
  ::unsetenv("REOS_PLUGIN_HOST");
}
