// The message.send job against the real recording_notifier plugin: rendering, suppression and
// consent at send time, the marketing footer, RETRY/FAIL, and a crash around the provider call.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "messaging/unsubscribe_token.hpp"
#include "messaging_fixture.hpp"

namespace reos::test {
namespace {

using nlohmann::json;
using queue::JobOutcome;

class SendTest : public ::testing::Test {
 protected:
  std::string column(const std::string& id, const std::string& name) {
    return f.text("SELECT " + name + "::text FROM messages WHERE id = '" + id + "'");
  }
  std::vector<json> sent() {
    std::vector<json> out;
    for (const auto& line : f.lines("sent.log")) out.push_back(json::parse(line));
    return out;
  }
  MessagingFixture f;
};

TEST_F(SendTest, RendersTheTemplateEscapingOnlyTheHtmlAndStoresTheProviderId) {
  const std::string contact = f.add_contact("Ann & Co", "ann@example.com", "", true, false);
  messaging::NewMessage m = f.email("ann@example.com");
  m.contact_id = contact;
  m.template_name = "new_listing";
  m.content_json = json{{"data",
                         {{"address", "12 <Elm> St"},
                          {"price", "$500,000"},
                          {"note_html", "<i>Just listed</i>"}}}}
                       .dump();
  const std::string id = f.queue_message(m);
  const auto outcome = f.run_send();
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->kind, JobOutcome::Kind::ok) << outcome->message;
  const auto messages = sent();
  ASSERT_EQ(messages.size(), 1u);
  const json& msg = messages[0];
  EXPECT_EQ(msg["message_id"], id);
  EXPECT_EQ(msg["tenant"], "acme");
  EXPECT_EQ(msg["from"], "agents@acme.test");
  EXPECT_EQ(msg["subject"], "New listing: 12 <Elm> St");
  EXPECT_EQ(msg["text"], "Hi Ann & Co, 12 <Elm> St is listed at $500,000.");
  const std::string html = msg["html"];
  EXPECT_NE(html.find("Hi Ann &amp; Co, <b>12 &lt;Elm&gt; St</b>"), std::string::npos) << html;
  EXPECT_NE(html.find("<i>Just listed</i>"), std::string::npos) << html;  // html_variables
  EXPECT_FALSE(msg.contains("unsubscribe_url"));                          // not marketing
  EXPECT_EQ(column(id, "status"), "sent");
  EXPECT_EQ(column(id, "provider_message_id"), "rec-" + id);
  EXPECT_EQ(f.scalar("SELECT count(*) FROM message_events WHERE message_id = '" + id +
                     "' AND type IN ('queued', 'sent')"),
            2);
}

TEST_F(SendTest, AnAddressSuppressedAfterEnqueueIsNeverSent) {
  const std::string id = f.queue_message(f.email("gone@example.com"));
  f.exec(
      "INSERT INTO suppressions (tenant_id, channel, address, reason, source)"
      " VALUES ('acme', 'email', 'gone@example.com', 'bounced', 'test')");
  const auto outcome = f.run_send();
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->kind, JobOutcome::Kind::ok);
  EXPECT_TRUE(sent().empty());
  EXPECT_EQ(column(id, "status"), "suppressed");
  EXPECT_EQ(column(id, "error"), "suppressed: bounced");
  EXPECT_EQ(f.scalar("SELECT count(*) FROM outbox"), 0);  // no provider call was even started
}

TEST_F(SendTest, MarketingNeedsConsentAtSendTimeAndCarriesAddressAndUnsubscribeLink) {
  const std::string contact = f.add_contact("Bo", "bo@example.com", "", false, false);
  messaging::NewMessage m = f.email("bo@example.com");
  m.marketing = true;
  m.content_json =
      R"({"subject":"Spring market","text":"Prices are up.","html":"<html><body><p>Prices are up.</p></body></html>"})";
  const std::string refused = f.queue_message(m);
  ASSERT_TRUE(f.run_send());
  EXPECT_EQ(column(refused, "status"), "suppressed");
  EXPECT_NE(column(refused, "error").find("no consent"), std::string::npos);

  f.exec("UPDATE contacts SET consent_email = true WHERE id = '" + contact + "'");
  m.idempotency_key = "second";
  const std::string id = f.queue_message(m);
  ASSERT_TRUE(f.run_send());
  EXPECT_EQ(column(id, "status"), "sent");
  const auto messages = sent();
  ASSERT_EQ(messages.size(), 1u);
  const json& msg = messages[0];
  EXPECT_TRUE(msg["marketing"].get<bool>());
  const std::string url = msg["unsubscribe_url"];
  ASSERT_EQ(url.rfind("https://hub.acme.test/api/v1/unsubscribe/", 0), 0u) << url;
  const std::string text = msg["text"];
  const std::string html = msg["html"];
  EXPECT_NE(text.find("Acme Realty, 1 Main St, Seattle, WA 98101"), std::string::npos) << text;
  EXPECT_NE(text.find(url), std::string::npos);
  EXPECT_NE(html.find("Acme Realty, 1 Main St, Seattle, WA 98101"), std::string::npos) << html;
  EXPECT_LT(html.find("Unsubscribe</a>"), html.find("</body>"));  // inside the body
  messaging::UnsubscribeClaims claims;
  const std::string token = url.substr(url.rfind('/') + 1);
  ASSERT_EQ(messaging::verify_unsubscribe_token(token, kUnsubscribeSecret, f.tenants().now_unix(),
                                                claims),
            messaging::TokenCheck::valid);
  EXPECT_EQ(claims.address, "bo@example.com");
  EXPECT_EQ(claims.message_id, id);
}

TEST_F(SendTest, SmsNeedsTheContactsConsentAndReportsSegments) {
  const std::string contact = f.add_contact("Cy", "", "+12065550111", true, false);
  messaging::NewMessage m = f.email("");
  m.channel = "sms";
  m.recipient = "+12065550111";
  m.contact_id = contact;
  m.content_json = json{{"text", std::string(200, 'a')}}.dump();
  const std::string refused = f.queue_message(m);
  ASSERT_TRUE(f.run_send());
  EXPECT_EQ(column(refused, "status"), "suppressed");

  f.exec("UPDATE contacts SET consent_sms = true WHERE id = '" + contact + "'");
  m.idempotency_key = "gsm";
  const std::string gsm = f.queue_message(m);
  ASSERT_TRUE(f.run_send());
  EXPECT_EQ(column(gsm, "status"), "sent");
  EXPECT_EQ(column(gsm, "sms_encoding") + " " + column(gsm, "sms_length") + " " +
                column(gsm, "sms_segments"),
            "GSM-7 200 2");
  m.idempotency_key = "template";
  m.template_name = "reminder";
  m.content_json = json{{"data", {{"time", "5 pm 🏠"}}}}.dump();
  const std::string ucs = f.queue_message(m);
  ASSERT_TRUE(f.run_send());
  EXPECT_EQ(sent().back()["text"], "Hi Cy, your showing is at 5 pm 🏠.");
  EXPECT_EQ(column(ucs, "sms_encoding") + " " + column(ucs, "sms_segments"), "UCS-2 1");
}

TEST_F(SendTest, ProviderRetryKeepsItQueuedAndFailMarksItFailedWithTheProvidersText) {
  const std::string id = f.queue_message(f.email("flaky@example.com"));
  f.write("mailer.fail", "retry");
  auto outcome = f.run_send();
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->kind, JobOutcome::Kind::retry);
  EXPECT_EQ(column(id, "status"), "queued");
  EXPECT_EQ(column(id, "error"), "mailer: RETRY: rate limited");
  f.remove("mailer.fail");
  outcome = f.run_send();
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->kind, JobOutcome::Kind::ok);
  EXPECT_EQ(column(id, "status"), "sent");
  EXPECT_EQ(sent().size(), 1u);

  const std::string bad = f.queue_message(f.email("nobody@example.com"));
  f.write("mailer.fail", "fail");
  outcome = f.run_send();
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->kind, JobOutcome::Kind::fail);
  EXPECT_EQ(column(bad, "status"), "failed");
  EXPECT_EQ(column(bad, "error"), "mailer: FAIL: mailbox does not exist");
}

TEST_F(SendTest, ProviderOptOutRefusalSuppressesTheAddressForEveryLaterMessage) {
  const std::string id = f.queue_message(f.email("stopped@example.com"));
  f.write("mailer.fail", "optout");
  auto outcome = f.run_send();
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->kind, JobOutcome::Kind::ok);
  EXPECT_EQ(column(id, "status"), "suppressed");
  EXPECT_EQ(column(id, "error"), "mailer: FAIL: error 21610: recipient opted out");
  EXPECT_EQ(f.scalar("SELECT count(*) FROM suppressions WHERE channel = 'email'"
                     " AND address = 'stopped@example.com' AND reason = 'opted_out'"
                     " AND source = 'notifier:mailer'"),
            1);
  // The provider would accept again, but the hub no longer asks it.
  f.remove("mailer.fail");
  const std::string next = f.queue_message(f.email("stopped@example.com"));
  outcome = f.run_send();
  ASSERT_TRUE(outcome);
  EXPECT_EQ(column(next, "status"), "suppressed");
  EXPECT_TRUE(sent().empty());
}

TEST_F(SendTest, AWorkerDyingAfterTheProviderCallNeverCausesASecondSend) {
  const std::string id = f.queue_message(f.email("once@example.com"));
  f.fault = [](std::string_view point) {
    if (point == "message.send:after-provider-call") throw std::runtime_error("worker killed");
  };
  auto outcome = f.run_send();
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->kind, JobOutcome::Kind::retry);  // the crash looks like an exception
  f.fault = nullptr;
  // Suppressed meanwhile: the message was already handed over, so it is not re-judged.
  f.exec(
      "INSERT INTO suppressions (tenant_id, channel, address, reason, source)"
      " VALUES ('acme', 'email', 'once@example.com', 'unsubscribed', 'test')");
  outcome = f.run_send();  // the retry finds the outbox row 'sending'
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->kind, JobOutcome::Kind::fail);
  EXPECT_EQ(sent().size(), 1u);
  EXPECT_EQ(column(id, "status"), "queued");  // provider events will tell what happened
  EXPECT_NE(column(id, "error").find("unknown outcome"), std::string::npos);
  f.apply(R"({"provider_event_id":"late-1","type":"delivered","channel":"email","message_id":")" +
          id + "\"}");
  EXPECT_EQ(column(id, "status"), "delivered");
}

TEST_F(SendTest, ASecondJobForAnAlreadySentMessageSendsNothing) {
  const std::string id = f.queue_message(f.email("twice@example.com"));
  ASSERT_TRUE(f.run_send());
  f.enqueue(messaging::kMessageSendJob, json{{"message_id", id}}.dump(), "again");
  ASSERT_TRUE(f.run_send());
  EXPECT_EQ(sent().size(), 1u);
  EXPECT_EQ(column(id, "status"), "sent");
}

}  // namespace
}  // namespace reos::test
