// webhook.process: every committed event is handed on exactly once — through the workers,
// when a job runs twice, and when two runs race.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "signing.hpp"
#include "webhook_hub.hpp"
#include "webhooks/message_event_seam.hpp"

using reos::test::signed_headers;
using reos::test::WebhookHub;
using namespace std::chrono_literals;

namespace {

std::string event_body(int i) {
  return "{\"type\":\"lead.created\",\"data\":{\"n\":" + std::to_string(i) + "}}";
}

std::map<std::string, int> notified(const WebhookHub& hub) {
  std::map<std::string, int> count;
  for (const auto& line : hub.side_effects()) {
    std::istringstream in(line);
    std::string what, id;
    in >> what >> id;
    if (what == "notify") count[id]++;
  }
  return count;
}

}  // namespace

TEST(WebhookProcessing, TwoWorkersHandEveryEventToThePipelineExactlyOnce) {
  WebhookHub hub;
  for (int i = 0; i < 20; ++i) {
    const std::string id = "evt_" + std::to_string(i);
    ASSERT_EQ(hub.post("/webhooks/acme/hooks", event_body(i),
                       signed_headers(reos::test::kSecretA, id, event_body(i)))
                  .status,
              200);
    if (i % 4 == 0) {  // a redelivery of some of them
      ASSERT_EQ(hub.post("/webhooks/acme/hooks", event_body(i),
                         signed_headers(reos::test::kSecretA, id, event_body(i)))
                    .status,
                200);
    }
  }
  hub.start_workers();
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (notified(hub).size() < 20 ||
         hub.scalar("SELECT count(*) FROM jobs WHERE status <> 'succeeded'") > 0) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << hub.text(
        "SELECT string_agg(kind || ':' || status || ':' || coalesce(last_error, ''),"
        " ' | ') FROM jobs");
    std::this_thread::sleep_for(50ms);
  }
  const auto count = notified(hub);
  EXPECT_EQ(count.size(), 20u);
  for (const auto& [id, n] : count) EXPECT_EQ(n, 1) << id << " notified " << n << " times";
  EXPECT_EQ(hub.scalar("SELECT count(*) FROM webhook_events WHERE status = 'processed'"), 20);
  EXPECT_EQ(hub.scalar("SELECT count(*) FROM jobs WHERE kind = 'webhook.process'"), 20);
  EXPECT_EQ(hub.scalar("SELECT count(*) FROM jobs WHERE kind = 'pipeline.process'"), 20);
  // The pipeline record is the sender's payload, its id the webhook-id.
  EXPECT_EQ(hub.scalar("SELECT count(*) FROM jobs WHERE kind = 'pipeline.process' AND "
                       "payload->'records'->0->>'id' = 'evt_3' AND "
                       "payload->'records'->0->'payload'->'data'->>'n' = '3'"),
            1);
}

TEST(WebhookProcessing, ARepeatedOrRacingJobFindsNothingLeftToDo) {
  WebhookHub hub;
  ASSERT_EQ(hub.post("/webhooks/acme/hooks", event_body(1),
                     signed_headers(reos::test::kSecretA, "race_1", event_body(1)))
                .status,
            200);
  const std::int64_t request = hub.scalar("SELECT id FROM webhook_requests");
  // Two runs of the same job at once (a lease that expired under a slow worker).
  std::thread other(
      [&] { EXPECT_EQ(hub.process_request(request).kind, reos::queue::JobOutcome::Kind::ok); });
  EXPECT_EQ(hub.process_request(request).kind, reos::queue::JobOutcome::Kind::ok);
  other.join();
  EXPECT_EQ(hub.process_request(request).kind, reos::queue::JobOutcome::Kind::ok);
  EXPECT_EQ(hub.scalar("SELECT count(*) FROM jobs WHERE kind = 'pipeline.process'"), 1);
  EXPECT_EQ(hub.text("SELECT status FROM webhook_events"), "processed");
}

TEST(WebhookProcessing, EventsOfAConnectorInNoPipelineGoToMessaging) {
  WebhookHub hub;
  ASSERT_EQ(hub.post("/webhooks/acme/rotating", event_body(2),
                     signed_headers(reos::test::kSecretA, "not_a_message", event_body(2)))
                .status,
            200);
  const std::int64_t request = hub.scalar("SELECT id FROM webhook_requests");
  const auto outcome = hub.process_request(request);
  if (!reos::webhooks::message_events_available()) {
    // Without host/messaging the events wait (nothing lost, no attempt used).
    EXPECT_EQ(outcome.kind, reos::queue::JobOutcome::Kind::defer);
    EXPECT_EQ(hub.text("SELECT status FROM webhook_events"), "pending");
  } else {
    // Not a MessageEvent: messaging refuses it, and it is kept failed with the reason.
    EXPECT_EQ(outcome.kind, reos::queue::JobOutcome::Kind::ok);
    EXPECT_EQ(hub.text("SELECT status FROM webhook_events"), "failed");
    EXPECT_NE(hub.text("SELECT reason FROM webhook_events"), "");
  }
  EXPECT_EQ(hub.scalar("SELECT count(*) FROM jobs WHERE kind = 'pipeline.process'"), 0);
}
