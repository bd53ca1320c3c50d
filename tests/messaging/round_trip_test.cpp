// The whole loop with real parts: message.send through the sendgrid plugin to the SendGrid
// protocol test server, then SendGrid's signed Event Webhook (a fresh P-256 key made by the
// openssl CLI) posted over HTTP to the hub's webhook intake, committed to the inbox, processed
// by the webhook.process job — which calls apply_message_event — and the message's status
// and timeline follow, duplicates included.

#include <gtest/gtest.h>
#include <stdlib.h>

#include <ctime>
#include <nlohmann/json.hpp>

#include "http/http_server.hpp"
#include "http/router.hpp"
#include "messaging_fixture.hpp"
#include "openssl_cli.hpp"
#include "sendgrid_test_server.hpp"
#include "support/http_client.hpp"
#include "webhooks/inbox_batch_write.hpp"
#include "webhooks/inbox_processor.hpp"
#include "webhooks/webhook_service.hpp"

namespace reos::test {
namespace {

using nlohmann::json;

constexpr char kKey[] = "SG.round-trip.0123456789";

struct KeyInEnvironment {
  KeyInEnvironment() { ::setenv("ROUND_TRIP_SENDGRID_KEY", kKey, 1); }
  ~KeyInEnvironment() { ::unsetenv("ROUND_TRIP_SENDGRID_KEY"); }
};

std::string connector_yaml(const std::string& base_url, const std::string& public_key) {
  return "  - id: sendgrid\n    plugin: sendgrid\n"
         "    settings: { api_key: \"${ROUND_TRIP_SENDGRID_KEY}\", base_url: \"" +
         base_url + "\", from: \"office@acme.test\", webhook_public_key: \"" + public_key +
         "\" }\n";
}

class RoundTripTest : public ::testing::Test {
 protected:
  RoundTripTest() : public_key(openssl.new_p256_key()) {}

  // Posts `events` as SendGrid does: signature over timestamp + raw body.
  ClientResponse post_events(const json& events) {
    const std::string body = events.dump() + "\r\n";
    const std::string timestamp = std::to_string(std::time(nullptr));
    const std::string signature = openssl.ecdsa_sign(timestamp + body);
    return post(body, {"Content-Type: application/json",
                       "X-Twilio-Email-Event-Webhook-Signature: " + signature,
                       "X-Twilio-Email-Event-Webhook-Timestamp: " + timestamp});
  }

  ClientResponse post(const std::string& body, const std::vector<std::string>& headers) {
    ClientRequest request;
    request.method = "POST";
    request.url = url(server->port(), "/webhooks/acme/sendgrid");
    request.body = body;
    request.headers = headers;
    return perform(request);
  }

  int process_inbox() {
    webhooks::InboxProcessor processor(f.hub(), f.pool(), f.queue());
    int ran = 0;
    while (const auto outcome = f.run_job(webhooks::kWebhookProcess, [&](const queue::Job& job) {
      return processor.process(job);
    })) {
      EXPECT_EQ(outcome->kind, queue::JobOutcome::Kind::ok) << outcome->message;
      ++ran;
    }
    return ran;
  }

  void SetUp() override {
    service =
        std::make_unique<webhooks::WebhookService>(f.hub(), f.registry(), f.queue(), f.metrics());
    service->add_routes(router);
    http::HttpServerSettings settings;
    settings.port = 0;
    server = std::make_unique<http::HttpServer>(settings, router, f.metrics());
    server->start();
  }
  void TearDown() override {
    server->stop();
    server.reset();
    service.reset();
  }

  OpensslCli openssl;
  std::string public_key;
  KeyInEnvironment key;
  SendGridTestServer sendgrid{kKey};
  MessagingFixture f{connector_yaml(sendgrid.base_url(), public_key), {SENDGRID_PLUGIN}};
  http::Router router;
  std::unique_ptr<webhooks::WebhookService> service;
  std::unique_ptr<http::HttpServer> server;
};

TEST_F(RoundTripTest, ProviderEventsComeBackThroughTheSignedWebhookOntoTheMessage) {
  messaging::NewMessage m = f.email("ann@example.com");
  m.connector = "sendgrid";
  const std::string id = f.queue_message(m);
  ASSERT_TRUE(f.run_send());
  ASSERT_EQ(sendgrid.accepted().size(), 1u);
  const std::string x_message_id = sendgrid.accepted()[0].second;
  const long now = static_cast<long>(std::time(nullptr));
  const json open = {{"email", "ann@example.com"}, {"event", "open"},
                     {"sg_event_id", "ev-open"},   {"sg_message_id", x_message_id + ".filter0001"},
                     {"timestamp", now},           {"reos_message_id", id},
                     {"reos_tenant", "acme"}};
  json delivered = open;
  delivered["event"] = "delivered";
  delivered["sg_event_id"] = "ev-delivered";
  delivered["timestamp"] = now - 5;
  // The open arrives first; the delivery, older, comes in a later post (and twice).
  ASSERT_EQ(post_events(json::array({open})).status, 200);
  ASSERT_EQ(post_events(json::array({delivered, delivered})).status, 200);
  ASSERT_EQ(post_events(json::array({delivered})).status, 200);
  // A forged post is refused and changes nothing.
  EXPECT_EQ(post("[]", {"X-Twilio-Email-Event-Webhook-Signature: AAAA",
                        "X-Twilio-Email-Event-Webhook-Timestamp: 1"})
                .status,
            401);
  EXPECT_GE(process_inbox(), 1);
  EXPECT_EQ(f.text("SELECT status FROM messages WHERE id = '" + id + "'"), "opened");
  EXPECT_NE(f.text("SELECT delivered_at FROM messages WHERE id = '" + id + "'"), "");
  EXPECT_EQ(f.scalar("SELECT count(*) FROM message_events WHERE message_id = '" + id +
                     "' AND provider_event_id LIKE 'ev-%'"),
            2);

  // A bounce without our custom_args, matched by SendGrid's message id alone.
  const json bounce = {{"email", "ann@example.com"},
                       {"event", "bounce"},
                       {"type", "blocked"},
                       {"sg_event_id", "ev-bounce"},
                       {"sg_message_id", x_message_id},
                       {"reason", "550 5.7.1 blocked"},
                       {"timestamp", now}};
  ASSERT_EQ(post_events(json::array({bounce})).status, 200);
  process_inbox();
  EXPECT_EQ(f.text("SELECT reason || ' ' || source FROM suppressions WHERE address ="
                   " 'ann@example.com'"),
            "blocked webhook:sendgrid");
  // …and the next message to that address is not sent.
  const std::string next = f.queue_message(f.email("ann@example.com"));
  ASSERT_TRUE(f.run_send());
  EXPECT_EQ(f.text("SELECT status FROM messages WHERE id = '" + next + "'"), "suppressed");
  EXPECT_EQ(sendgrid.accepted().size(), 1u);
}

}  // namespace
}  // namespace reos::test
