// Every SendGrid event type onto a MessageEvent (schemas/message_event.json).
#include "event_mapping.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

using nlohmann::json;

namespace {

json event(const std::string& type) {
  return {{"email", "buyer@example.com"},
          {"event", type},
          {"sg_event_id", "ev-" + type},
          {"sg_message_id", "14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0"},
          {"timestamp", 1732500000},
          {"reos_message_id", "m-1"},
          {"reos_tenant", "acme"}};
}

}  // namespace

TEST(SendGridEvents, EveryEventTypeMapsOntoAMessageEventType) {
  const std::pair<const char*, const char*> table[] = {
      {"processed", "processed"},
      {"dropped", "dropped"},
      {"delivered", "delivered"},
      {"deferred", "deferred"},
      {"bounce", "bounced"},
      {"open", "opened"},
      {"click", "clicked"},
      {"spamreport", "spam_reported"},
      {"unsubscribe", "unsubscribed"},
      {"group_unsubscribe", "group_unsubscribed"},
      {"group_resubscribe", "group_resubscribed"},
  };
  for (const auto& [theirs, ours] : table) {
    std::string why;
    const auto e = sendgrid::map_event(event(theirs), "reos_", why);
    ASSERT_TRUE(e) << theirs << ": " << why;
    EXPECT_EQ(e->at("type"), ours);
    EXPECT_EQ(e->at("provider_event_id"), std::string("ev-") + theirs);
    EXPECT_EQ(e->at("channel"), "email");
    EXPECT_EQ(e->at("message_id"), "m-1");
    EXPECT_EQ(e->at("provider_message_id"), "14c5d75ce93");
    EXPECT_EQ(e->at("address"), "buyer@example.com");
    EXPECT_EQ(e->at("occurred_at"), "2024-11-25T02:00:00Z");
    EXPECT_EQ(e->at("raw"), event(theirs));
  }
}

TEST(SendGridEvents, BlockedBounceReasonsUrlsAndSkippedEvents) {
  std::string why;
  json b = event("bounce");
  b["type"] = "blocked";
  b["status"] = "5.7.1";
  b["reason"] = "550 5.7.1 blocked by policy";
  auto e = sendgrid::map_event(b, "reos_", why);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->at("type"), "blocked");
  EXPECT_EQ(e->at("reason"), "5.7.1 550 5.7.1 blocked by policy");

  json d = event("deferred");
  d["response"] = "400 try again later";
  EXPECT_EQ(sendgrid::map_event(d, "reos_", why)->at("reason"), "400 try again later");

  json c = event("click");
  c["url"] = "https://acme-realty.example/listing/42";
  EXPECT_EQ(sendgrid::map_event(c, "reos_", why)->at("url"),
            "https://acme-realty.example/listing/42");

  json other_prefix = event("open");
  EXPECT_FALSE(sendgrid::map_event(other_prefix, "hub_", why)->contains("message_id"));

  EXPECT_FALSE(sendgrid::map_event(event("test_event"), "reos_", why));
  EXPECT_EQ(why, "unknown event type 'test_event'");
  json no_id = event("open");
  no_id.erase("sg_event_id");
  EXPECT_FALSE(sendgrid::map_event(no_id, "reos_", why));
  EXPECT_FALSE(sendgrid::map_event(json::array(), "reos_", why));
}
