// The host's side of the webhook contract, driven by a plugin whose outcome the body picks
// (scripted_webhook.c): plugin FAIL after verification, RETRY, and events the inbox refuses.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "webhook_hub.hpp"

using reos::test::WebhookHub;

TEST(WebhookContract, APluginFailAfterVerificationKeepsTheRequestAsFailed) {
  WebhookHub hub;
  const auto res = hub.post("/webhooks/acme/scripted", "fail: not parsable", {});
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(nlohmann::json::parse(res.body)["status"], "failed");
  EXPECT_EQ(hub.text("SELECT status || ':' || reason FROM webhook_requests"),
            "failed:body unusable");
  EXPECT_EQ(hub.text("SELECT convert_from(body, 'UTF8') FROM webhook_requests"),
            "fail: not parsable");
  EXPECT_EQ(
      hub.scalar("SELECT count(*) FROM webhook_events") + hub.scalar("SELECT count(*) FROM jobs"),
      0);
}

TEST(WebhookContract, APluginRetryIs503WithRetryAfterAndStoresNothing) {
  WebhookHub hub;
  const auto res = hub.post("/webhooks/acme/scripted", "retry", {});
  EXPECT_EQ(res.status, 503);
  EXPECT_EQ(res.header("retry-after"), "2");
  EXPECT_EQ(res.header("content-type"), "application/problem+json");
  EXPECT_EQ(hub.scalar("SELECT count(*) FROM webhook_requests"), 0);
}

TEST(WebhookContract, EventsTheInboxCannotUseAreKeptFailedWithTheReason) {
  WebhookHub hub;
  for (const char* body : {"noid", "nul"}) {
    const auto res = hub.post("/webhooks/acme/scripted", body, {});
    ASSERT_EQ(res.status, 200) << body << ": " << res.body;
    EXPECT_EQ(nlohmann::json::parse(res.body)["failed"], 1) << body;
  }
  EXPECT_EQ(hub.text("SELECT string_agg(reason, ' | ' ORDER BY id) FROM webhook_events"),
            "event has no provider_event_id string | event contains \\u0000, which PostgreSQL "
            "jsonb cannot store");
  EXPECT_EQ(hub.scalar("SELECT count(*) FROM webhook_events WHERE status <> 'failed'"), 0);
  EXPECT_EQ(hub.scalar("SELECT count(*) FROM jobs"), 0);
}

TEST(WebhookContract, OneBadItemDoesNotHoldBackTheOthers) {
  WebhookHub hub;
  const auto res = hub.post("/webhooks/acme/scripted", "two", {});
  ASSERT_EQ(res.status, 200) << res.body;
  const auto receipt = nlohmann::json::parse(res.body);
  EXPECT_EQ(receipt["accepted"], 1);
  EXPECT_EQ(receipt["failed"], 1);
  EXPECT_EQ(hub.text("SELECT string_agg(provider_event_id || ':' || status || ':' || "
                     "coalesce(reason, ''), ' ' ORDER BY provider_event_id) FROM webhook_events"),
            "two-a:pending: two-b:failed:bad item");
  EXPECT_EQ(hub.scalar("SELECT count(*) FROM jobs WHERE kind = 'webhook.process'"), 1);
}

TEST(WebhookContract, NoSignatureFromThePluginIs401) {
  WebhookHub hub;
  EXPECT_EQ(hub.post("/webhooks/acme/scripted", "{}", {}).status, 401);
  EXPECT_EQ(hub.scalar("SELECT count(*) FROM webhook_requests"), 0);
}

// Events hold no foreign key to tenants of their own (migration 0016): deleting a tenant still
// removes them, through their request.
TEST(WebhookContract, DeletingATenantRemovesItsInbox) {
  WebhookHub hub;
  ASSERT_EQ(hub.post("/webhooks/acme/scripted", "two", {}).status, 200);
  ASSERT_EQ(hub.scalar("SELECT count(*) FROM webhook_events"), 2);
  {
    pqxx::connection conn(hub.conninfo());
    pqxx::work tx(conn);
    tx.exec("DELETE FROM tenants WHERE id = 'acme'");
    tx.commit();
  }
  EXPECT_EQ(hub.scalar("SELECT count(*) FROM webhook_requests"), 0);
  EXPECT_EQ(hub.scalar("SELECT count(*) FROM webhook_events"), 0);
}
