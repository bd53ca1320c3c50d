// POST /webhooks/{tenant}/{connector} over real HTTP with the real standard_webhooks plugin
// and PostgreSQL: what is answered, and what is (or is not) in the inbox afterwards.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "signing.hpp"
#include "webhook_hub.hpp"

using reos::test::signed_headers;
using reos::test::WebhookHub;

namespace {

const std::string kBody = R"({"type":"contact.created","data":{"email":"ann@example.com"}})";

std::int64_t stored_rows(const WebhookHub& hub) {
  return hub.scalar(
      "SELECT (SELECT count(*) FROM webhook_requests) +"
      " (SELECT count(*) FROM webhook_events) + (SELECT count(*) FROM jobs)");
}

}  // namespace

TEST(WebhookIntake, AGoodSignatureIsCommittedBeforeThe200) {
  WebhookHub hub;
  const auto res = hub.post("/webhooks/acme/hooks?attempt=1", kBody,
                            signed_headers(reos::test::kSecretA, "msg_good_1", kBody));
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(nlohmann::json::parse(res.body)["accepted"], 1);
  // Read on a fresh connection right after the answer: the rows are already committed.
  EXPECT_EQ(hub.scalar("SELECT count(*) FROM webhook_events WHERE tenant_id = 'acme' AND "
                       "connector_id = 'hooks' AND provider_event_id = 'msg_good_1' AND "
                       "status = 'pending'"),
            1);
  EXPECT_EQ(hub.text("SELECT convert_from(body, 'UTF8') FROM webhook_requests"), kBody);
  EXPECT_EQ(hub.text("SELECT url FROM webhook_requests"),
            std::string(reos::test::kPublicUrl) + "/webhooks/acme/hooks?attempt=1");
  EXPECT_EQ(hub.text("SELECT headers->>'webhook-id' FROM webhook_requests"), "msg_good_1");
  EXPECT_NE(hub.text("SELECT headers->>'webhook-signature' FROM webhook_requests"), "");
  EXPECT_EQ(hub.text("SELECT payload->'payload'->>'type' FROM webhook_events"), "contact.created");
  EXPECT_EQ(hub.scalar("SELECT count(*) FROM jobs WHERE kind = 'webhook.process' AND "
                       "status = 'queued'"),
            1);
}

TEST(WebhookIntake, ABadSignatureIs401AndStoresNothingButACounter) {
  WebhookHub hub;
  auto headers = signed_headers(reos::test::kSecretB, "msg_bad_1", kBody);  // not hooks' secret
  const auto res = hub.post("/webhooks/acme/hooks", kBody, headers);
  EXPECT_EQ(res.status, 401);
  EXPECT_EQ(res.header("content-type"), "application/problem+json");
  EXPECT_EQ(nlohmann::json::parse(res.body)["status"], 401);
  // A valid signature over another body is just as bad.
  const auto swapped = hub.post("/webhooks/acme/hooks", kBody + " ",
                                signed_headers(reos::test::kSecretA, "msg_bad_2", kBody));
  EXPECT_EQ(swapped.status, 401);
  const auto unsigned_post = hub.post("/webhooks/acme/hooks", kBody, {});
  EXPECT_EQ(unsigned_post.status, 401);
  EXPECT_EQ(stored_rows(hub), 0);
  EXPECT_NE(hub.metrics().render().find("reos_webhook_rejected_total{tenant=\"acme\",connector="
                                        "\"hooks\",reason=\"signature\"} 3"),
            std::string::npos)
      << hub.metrics().render();
}

TEST(WebhookIntake, AnUnknownTenantOrConnectorOrANonWebhookPluginIs404) {
  WebhookHub hub;
  const auto headers = signed_headers(reos::test::kSecretA, "msg_404", kBody);
  for (const char* path :
       {"/webhooks/nobody/hooks", "/webhooks/acme/nothing", "/webhooks/acme/mailer"}) {
    const auto res = hub.post(path, kBody, headers);
    EXPECT_EQ(res.status, 404) << path;
    EXPECT_EQ(res.header("content-type"), "application/problem+json") << path;
  }
  EXPECT_EQ(stored_rows(hub), 0);
}

TEST(WebhookIntake, AnOversizedBodyIs413AfterTheConnectorCheck) {
  WebhookHub hub;
  const std::string big = "{\"pad\":\"" + std::string(reos::test::kWebhookMaxBody, 'x') + "\"}";
  const auto headers = signed_headers(reos::test::kSecretA, "msg_big", big);
  EXPECT_EQ(hub.post("/webhooks/acme/hooks", big, headers).status, 413);
  EXPECT_EQ(hub.post("/webhooks/acme/nothing", big, headers).status, 404);
  EXPECT_EQ(stored_rows(hub), 0);
}

TEST(WebhookIntake, ADuplicateIdIsAcknowledgedAndNotQueuedAgain) {
  WebhookHub hub;
  ASSERT_EQ(hub.post("/webhooks/acme/hooks", kBody,
                     signed_headers(reos::test::kSecretA, "msg_dup", kBody))
                .status,
            200);
  // The provider retries (new timestamp, new signature, same id).
  const auto again = hub.post("/webhooks/acme/hooks", kBody,
                              signed_headers(reos::test::kSecretA, "msg_dup", kBody, -5));
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(nlohmann::json::parse(again.body)["duplicates"], 1);
  EXPECT_EQ(hub.scalar("SELECT count(*) FROM webhook_events"), 1);
  EXPECT_EQ(hub.scalar("SELECT count(*) FROM webhook_requests"), 2);  // both kept for audit
  EXPECT_EQ(hub.scalar("SELECT count(*) FROM jobs WHERE kind = 'webhook.process'"), 1);
}

TEST(WebhookIntake, AValidSignatureOverABodyThatIsNotJsonIsKeptAsFailed) {
  WebhookHub hub;
  const std::string body = "{not json";
  const auto res = hub.post("/webhooks/acme/hooks", body,
                            signed_headers(reos::test::kSecretA, "msg_bad_json", body));
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(nlohmann::json::parse(res.body)["failed"], 1);
  EXPECT_EQ(hub.text("SELECT status || ':' || provider_event_id FROM webhook_events"),
            "failed:msg_bad_json");
  EXPECT_NE(hub.text("SELECT reason FROM webhook_events").find("not valid JSON"),
            std::string::npos);
  EXPECT_EQ(hub.text("SELECT status FROM webhook_requests"), "failed");
  EXPECT_EQ(hub.scalar("SELECT count(*) FROM jobs"), 0) << "a failed event is not processed";
}

TEST(WebhookIntake, KeyRotationAcceptsTheOldAndTheNewSecret) {
  WebhookHub hub;
  EXPECT_EQ(hub.post("/webhooks/acme/rotating", kBody,
                     signed_headers(reos::test::kSecretA, "rot_old", kBody))
                .status,
            200);
  EXPECT_EQ(hub.post("/webhooks/acme/rotating", kBody,
                     signed_headers(reos::test::kSecretB, "rot_new", kBody))
                .status,
            200);
  // The sender lists a stale signature first and the current one second.
  auto both = signed_headers(reos::test::kSecretB, "rot_both", kBody);
  both[2] =
      "webhook-signature: v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= " + both[2].substr(19);
  EXPECT_EQ(hub.post("/webhooks/acme/rotating", kBody, both).status, 200);
  // hooks only has secret A: B is refused there.
  EXPECT_EQ(hub.post("/webhooks/acme/hooks", kBody,
                     signed_headers(reos::test::kSecretB, "rot_new", kBody))
                .status,
            401);
  EXPECT_EQ(hub.scalar("SELECT count(*) FROM webhook_events WHERE connector_id = 'rotating'"), 3);
}

TEST(WebhookIntake, TheReplayWindowRefusesOldAndFutureTimestamps) {
  WebhookHub hub;
  EXPECT_EQ(hub.post("/webhooks/acme/hooks", kBody,
                     signed_headers(reos::test::kSecretA, "old", kBody, -330))
                .status,
            401);
  EXPECT_EQ(hub.post("/webhooks/acme/hooks", kBody,
                     signed_headers(reos::test::kSecretA, "future", kBody, 330))
                .status,
            401);
  EXPECT_EQ(hub.post("/webhooks/acme/hooks", kBody,
                     signed_headers(reos::test::kSecretA, "recent", kBody, -240))
                .status,
            200);
  EXPECT_EQ(hub.scalar("SELECT count(*) FROM webhook_events"), 1);
}

TEST(WebhookIntake, ASignatureMadeByTheOpensslCliIsAccepted) {
  // Independent signature for the body; the host passes the URL, the plugin checks the body.
  WebhookHub hub;
  const std::string ts = reos::test::timestamp_now();
  const std::string sig = reos::test::openssl_signature(reos::test::kSecretA, "msg_cli", ts, kBody);
  const auto res =
      hub.post("/webhooks/acme/hooks", kBody,
               {"webhook-id: msg_cli", "webhook-timestamp: " + ts, "webhook-signature: " + sig});
  EXPECT_EQ(res.status, 200) << res.body;
}
