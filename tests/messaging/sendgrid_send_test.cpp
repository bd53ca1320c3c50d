// message.send through the real sendgrid plugin (plugins/sendgrid) against the SendGrid
// protocol test server (tests/sendgrid/sendgrid_test_server.*) over loopback: what SendGrid
// receives, the X-Message-Id kept as the provider id, and 429 → the job retries.

#include <gtest/gtest.h>
#include <stdlib.h>

#include <nlohmann/json.hpp>

#include "messaging_fixture.hpp"
#include "sendgrid_test_server.hpp"

namespace reos::test {
namespace {

using nlohmann::json;

constexpr char kKey[] = "SG.messaging-test.0123456789";

struct KeyInEnvironment {
  KeyInEnvironment() { ::setenv("MESSAGING_SENDGRID_KEY", kKey, 1); }
  ~KeyInEnvironment() { ::unsetenv("MESSAGING_SENDGRID_KEY"); }
};

class SendGridSendTest : public ::testing::Test {
 protected:
  KeyInEnvironment key;
  SendGridTestServer server{kKey};
  MessagingFixture f{
      "  - id: sendgrid\n    plugin: sendgrid\n"
      "    settings: { api_key: \"${MESSAGING_SENDGRID_KEY}\", base_url: \"" +
          server.base_url() + "\", from: \"office@acme.test\" }\n",
      {SENDGRID_PLUGIN}};
};

TEST_F(SendGridSendTest, AMarketingEmailReachesSendGridWithOurIdsAndItsMessageIdIsKept) {
  f.add_contact("Ann", "ann@example.com", "", true, false);
  messaging::NewMessage m = f.email("ann@example.com");
  m.connector = "sendgrid";
  m.marketing = true;
  m.template_name = "new_listing";
  m.content_json =
      json{{"data", {{"address", "1 Elm"}, {"price", "$1"}, {"note_html", ""}}}}.dump();
  const std::string id = f.queue_message(m);
  const auto outcome = f.run_send();
  ASSERT_TRUE(outcome);
  ASSERT_EQ(outcome->kind, queue::JobOutcome::Kind::ok) << outcome->message;
  const auto accepted = server.accepted();
  ASSERT_EQ(accepted.size(), 1u);
  const json& body = accepted[0].first;
  EXPECT_EQ(body["personalizations"][0]["to"][0]["email"], "ann@example.com");
  EXPECT_EQ(body.dump().find(id) != std::string::npos, true) << body.dump();  // custom_args
  EXPECT_NE(body.dump().find("1 Main St"), std::string::npos);                // CAN-SPAM footer
  EXPECT_EQ(f.text("SELECT status FROM messages WHERE id = '" + id + "'"), "sent");
  EXPECT_EQ(f.text("SELECT provider_message_id FROM messages WHERE id = '" + id + "'"),
            accepted[0].second);
}

TEST_F(SendGridSendTest, RateLimitedSendsRetryAndAreNotDuplicated) {
  server.faults.rate_limited = 10;  // more than the host HTTP client's own retries
  messaging::NewMessage m = f.email("bo@example.com");
  m.connector = "sendgrid";
  const std::string id = f.queue_message(m);
  auto outcome = f.run_send();
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->kind, queue::JobOutcome::Kind::retry) << outcome->message;
  EXPECT_EQ(f.text("SELECT status FROM messages WHERE id = '" + id + "'"), "queued");
  server.faults.rate_limited = 0;
  f.exec("UPDATE jobs SET run_at = now() WHERE kind = 'message.send'");
  outcome = f.run_send();
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->kind, queue::JobOutcome::Kind::ok) << outcome->message;
  EXPECT_EQ(server.accepted().size(), 1u);
  EXPECT_EQ(f.text("SELECT status FROM messages WHERE id = '" + id + "'"), "sent");
}

}  // namespace
}  // namespace reos::test
