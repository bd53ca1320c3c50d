// apply_message_event against a real database: the forward-only status, every event type,
// duplicates, suppressions, replies and HELP.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "messaging_fixture.hpp"

namespace reos::test {
namespace {

using nlohmann::json;

std::string event(const std::string& id, const std::string& type, const std::string& message_id,
                  const std::string& channel = "email", json extra = json::object()) {
  json e = {{"provider_event_id", id}, {"type", type}, {"channel", channel}};
  if (!message_id.empty()) e["message_id"] = message_id;
  e.update(extra);
  return e.dump();
}

class MessageEventsTest : public ::testing::Test {
 protected:
  std::string status(const std::string& id) {
    return f.text("SELECT status FROM messages WHERE id = '" + id + "'");
  }
  std::int64_t suppressed(const std::string& channel, const std::string& address) {
    return f.scalar("SELECT count(*) FROM suppressions WHERE tenant_id = 'acme' AND channel = '" +
                    channel + "' AND address = '" + address + "'");
  }
  MessagingFixture f;
};

TEST_F(MessageEventsTest, StatusOnlyMovesForwardSoALateDeliveredNeverOverwritesOpened) {
  const std::string id = f.queue_message(f.email("ann@example.com"));
  f.apply(event("sg-1", "processed", id));
  EXPECT_EQ(status(id), "sent");
  f.apply(event("sg-2", "opened", id, "email", {{"occurred_at", "2026-01-02T10:00:00Z"}}));
  f.apply(event("sg-3", "delivered", id, "email", {{"occurred_at", "2026-01-02T09:59:00Z"}}));
  EXPECT_EQ(status(id), "opened");
  // The late event still records when delivery happened, and is on the timeline.
  EXPECT_EQ(f.text("SELECT to_char(delivered_at AT TIME ZONE 'UTC', 'HH24:MI') FROM messages"
                   " WHERE id = '" +
                   id + "'"),
            "09:59");
  EXPECT_EQ(f.text("SELECT status_before || '>' || status_after FROM message_events"
                   " WHERE provider_event_id = 'sg-3'"),
            "opened>opened");
  f.apply(event("sg-4", "clicked", id, "email", {{"url", "https://acme.test/l/1"}}));
  EXPECT_EQ(status(id), "clicked");
  EXPECT_EQ(f.scalar("SELECT count(*) FROM message_events WHERE message_id = '" + id +
                     "' AND provider_event_id LIKE 'sg-%'"),
            4);
}

TEST_F(MessageEventsTest, OutOfOrderTwilioCallbacksEndOnTheFurthestStatus) {
  auto sms = f.email("");
  sms.channel = "sms";
  sms.recipient = "+12065550123";
  sms.content_json = R"({"text":"hi"})";
  const std::string id = f.queue_message(sms);
  f.exec("UPDATE messages SET provider_message_id = 'SM1' WHERE id = '" + id + "'");
  // delivered arrives before sent; matched by the provider's id alone.
  f.apply(event("SM1:delivered", "delivered", "", "sms", {{"provider_message_id", "SM1"}}));
  f.apply(event("SM1:sent", "sent", "", "sms", {{"provider_message_id", "SM1"}}));
  EXPECT_EQ(status(id), "delivered");
  EXPECT_NE(f.text("SELECT sent_at FROM messages WHERE id = '" + id + "'"), "");
}

TEST_F(MessageEventsTest, ADuplicateProviderEventIsAppliedOnce) {
  const std::string id = f.queue_message(f.email("bob@example.com"));
  const std::string bounce =
      event("sg-b", "bounced", id, "email",
            {{"address", "Bob@Example.com"}, {"reason", "550 no such user"}});
  f.apply(bounce);
  f.exec("DELETE FROM suppressions");  // an operator lifted it; the replay must not re-add it
  f.apply(bounce);
  EXPECT_EQ(f.scalar("SELECT count(*) FROM message_events WHERE provider_event_id = 'sg-b'"), 1);
  EXPECT_EQ(suppressed("email", "bob@example.com"), 0);
  EXPECT_EQ(status(id), "bounced");
  EXPECT_EQ(f.text("SELECT error FROM messages WHERE id = '" + id + "'"), "550 no such user");
}

struct TypeCase {
  const char* type;
  const char* status;  // the message's status after the event, from queued
  int suppressed;      // suppression rows for the address afterwards
};

TEST_F(MessageEventsTest, EveryEventTypeHasItsEffect) {
  const TypeCase cases[] = {
      {"processed", "sent", 0},
      {"sent", "sent", 0},
      {"delivered", "delivered", 0},
      {"deferred", "queued", 0},
      {"bounced", "bounced", 1},
      {"blocked", "bounced", 1},
      {"dropped", "failed", 1},
      {"failed", "failed", 0},
      {"opened", "opened", 0},
      {"clicked", "clicked", 0},
      {"spam_reported", "queued", 1},
      {"unsubscribed", "queued", 1},
      {"group_unsubscribed", "queued", 1},
      {"group_resubscribed", "queued", 0},
  };
  int n = 0;
  for (const TypeCase& c : cases) {
    const std::string address = "user" + std::to_string(n) + "@example.com";
    const std::string id = f.queue_message(f.email(address));
    f.apply(event("t-" + std::to_string(n++), c.type, id, "email", {{"address", address}}));
    EXPECT_EQ(status(id), c.status) << c.type;
    EXPECT_EQ(suppressed("email", address), c.suppressed) << c.type;
    if (c.suppressed) {
      EXPECT_EQ(f.text("SELECT reason || ' ' || source FROM suppressions WHERE address = '" +
                       address + "'"),
                std::string(c.type) + " webhook:mailer");
    }
  }
}

TEST_F(MessageEventsTest, ResubscribeAndOptInLiftTheSuppression) {
  f.apply(event("e1", "group_unsubscribed", "", "email", {{"address", "cy@example.com"}}));
  EXPECT_EQ(suppressed("email", "cy@example.com"), 1);
  f.apply(event("e2", "group_resubscribed", "", "email", {{"address", "cy@example.com"}}));
  EXPECT_EQ(suppressed("email", "cy@example.com"), 0);
  f.apply(event("s1", "opted_out", "", "sms", {{"address", "+1 206 555 0199"}, {"body", "STOP"}}));
  EXPECT_EQ(suppressed("sms", "+12065550199"), 1);
  f.apply(event("s2", "opted_in", "", "sms", {{"address", "+12065550199"}, {"body", "START"}}));
  EXPECT_EQ(suppressed("sms", "+12065550199"), 0);
}

TEST_F(MessageEventsTest, ABounceAfterAnOpenKeepsOpenedButSuppresses) {
  const std::string id = f.queue_message(f.email("dee@example.com"));
  f.apply(event("o", "opened", id));
  f.apply(event("b", "bounced", id, "email", {{"reason", "mailbox full"}}));
  EXPECT_EQ(status(id), "opened");
  EXPECT_EQ(suppressed("email", "dee@example.com"), 1);  // the message's recipient
  EXPECT_NE(f.text("SELECT bounced_at FROM messages WHERE id = '" + id + "'"), "");
}

TEST_F(MessageEventsTest, AnInboundReplyMarksTheLastMessageRepliedAndEmitsTheWorkflowEvent) {
  const std::string contact = f.add_contact("Eve", "", "+12065550142", false, true);
  auto sms = f.email("");
  sms.channel = "sms";
  sms.recipient = "+12065550142";
  sms.contact_id = contact;
  sms.content_json = R"({"text":"Showing at 5?"})";
  const std::string id = f.queue_message(sms);
  f.apply(event("SMin1", "inbound", "", "sms",
                {{"address", "+12065550142"}, {"body", "Yes, see you then"}}));
  EXPECT_EQ(status(id), "replied");
  const json payload =
      json::parse(f.text("SELECT payload::text FROM jobs WHERE kind = 'interaction.replied'"));
  EXPECT_EQ(payload["message_id"], id);
  EXPECT_EQ(payload["contact_id"], contact);
  EXPECT_EQ(payload["body"], "Yes, see you then");
  EXPECT_EQ(payload["from"], "+12065550142");
  f.apply(event("SMin1", "inbound", "", "sms", {{"address", "+12065550142"}, {"body", "dup"}}));
  EXPECT_EQ(f.scalar("SELECT count(*) FROM jobs WHERE kind = 'interaction.replied'"), 1);
}

TEST_F(MessageEventsTest, HelpIsAnsweredAutomaticallyEvenToAnOptedOutNumber) {
  f.apply(event("s-stop", "opted_out", "", "sms", {{"address", "+12065550177"}}));
  f.apply(event("s-help", "help", "", "sms",
                {{"address", "+12065550177"},
                 {"body", "HELP"},
                 {"reply", "Acme Realty alerts. Reply STOP to opt out."}}));
  f.apply(event("s-help", "help", "", "sms", {{"address", "+12065550177"}}));  // duplicate
  EXPECT_EQ(f.scalar("SELECT count(*) FROM messages WHERE recipient = '+12065550177'"), 1);
  ASSERT_TRUE(f.run_send());
  const auto sent = f.lines("sent.log");
  ASSERT_EQ(sent.size(), 1u);
  const json message = json::parse(sent[0]);
  EXPECT_EQ(message["to"], "+12065550177");
  EXPECT_EQ(message["text"], "Acme Realty alerts. Reply STOP to opt out.");
  EXPECT_EQ(message["from"], "+12065550100");
}

TEST_F(MessageEventsTest, AMalformedEventIsRefusedWithTheReason) {
  try {
    f.apply(R"({"provider_event_id":"x","type":"teleported","channel":"fax"})");
    FAIL() << "accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("type"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("channel"), std::string::npos) << e.what();
  }
  EXPECT_THROW(f.apply("[1,2]"), std::invalid_argument);
}

}  // namespace
}  // namespace reos::test
