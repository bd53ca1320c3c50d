// Twilio status callbacks, inbound messages and opt-out keywords onto MessageEvents, and the
// classification of Messages API answers.
#include "twilio_events.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "messages_response.hpp"

using nlohmann::json;

TEST(TwilioEvents, OptOutOptInAndHelpKeywordsAreWholeMessageAndCaseInsensitive) {
  for (const char* stop : {"STOP", "stop", " Stop \n", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END",
                           "QUIT", "REVOKE", "OPTOUT", "optout"})
    EXPECT_EQ(twilio::classify_inbound_body(stop), "opted_out") << stop;
  for (const char* start : {"START", "start", "UNSTOP", " unstop"})
    EXPECT_EQ(twilio::classify_inbound_body(start), "opted_in") << start;
  EXPECT_EQ(twilio::classify_inbound_body("help"), "help");
  for (const char* other :
       {"Please stop calling after 6pm", "STOP IT", "", "Yes, 3pm works", "ENDING", "helpful"})
    EXPECT_EQ(twilio::classify_inbound_body(other), "inbound") << other;
}

TEST(TwilioEvents, StatusCallbacksBecomeOneEventPerSidAndStatus) {
  const std::pair<const char*, const char*> table[] = {
      {"accepted", "processed"}, {"queued", "processed"},    {"sending", "processed"},
      {"sent", "sent"},          {"delivered", "delivered"}, {"undelivered", "failed"},
      {"failed", "failed"},      {"read", "opened"},         {"canceled", "failed"},
  };
  for (const auto& [theirs, ours] : table) {
    const twilio::FormParams p = {{"MessageSid", "SM42"},    {"SmsSid", "SM42"},
                                  {"MessageStatus", theirs}, {"SmsStatus", theirs},
                                  {"To", "+12065550100"},    {"From", "+12065550199"}};
    std::string why;
    const auto e =
        twilio::map_webhook(p, "https://hub.example/wh?reos_message_id=m-9&x=1", "", why);
    ASSERT_TRUE(e) << why;
    EXPECT_EQ(e->at("type"), ours) << theirs;
    EXPECT_EQ(e->at("provider_event_id"), std::string("SM42:") + theirs);
    EXPECT_EQ(e->at("message_id"), "m-9");
    EXPECT_EQ(e->at("provider_message_id"), "SM42");
    EXPECT_EQ(e->at("address"), "+12065550100");
    EXPECT_EQ(e->at("channel"), "sms");
    EXPECT_EQ(e->at("raw").at("MessageStatus"), theirs);
  }
  std::string why;
  const twilio::FormParams failed = {{"MessageSid", "SM43"},
                                     {"MessageStatus", "undelivered"},
                                     {"ErrorCode", "30003"},
                                     {"ErrorMessage", "Unreachable destination handset"}};
  EXPECT_EQ(twilio::map_webhook(failed, "https://hub.example/wh", "", why)->at("reason"),
            "30003 Unreachable destination handset");
  EXPECT_FALSE(twilio::map_webhook({{"MessageSid", "SM44"}, {"MessageStatus", "weird"}},
                                   "https://hub.example/wh", "", why));
  EXPECT_EQ(why, "untracked message status 'weird'");
  EXPECT_FALSE(twilio::map_webhook({{"Body", "hi"}}, "https://hub.example/wh", "", why));
}

TEST(TwilioEvents, InboundMessagesCarryTheSenderBodyAndHelpReply) {
  std::string why;
  const auto inbound = twilio::map_webhook({{"MessageSid", "SMin1"},
                                            {"SmsStatus", "received"},
                                            {"From", "+12065550123"},
                                            {"To", "+12065550199"},
                                            {"Body", "Is the Ballard house still available?"}},
                                           "https://hub.example/wh", "Reply STOP to opt out", why);
  ASSERT_TRUE(inbound) << why;
  EXPECT_EQ(inbound->at("type"), "inbound");
  EXPECT_EQ(inbound->at("provider_event_id"), "SMin1");
  EXPECT_EQ(inbound->at("address"), "+12065550123");
  EXPECT_EQ(inbound->at("body"), "Is the Ballard house still available?");
  EXPECT_FALSE(inbound->contains("message_id"));
  EXPECT_FALSE(inbound->contains("reply"));

  const auto help = twilio::map_webhook(
      {{"MessageSid", "SMin2"}, {"From", "+12065550123"}, {"Body", "HELP"}},
      "https://hub.example/wh", "Acme Realty alerts. Reply STOP to opt out.", why);
  EXPECT_EQ(help->at("type"), "help");
  EXPECT_EQ(help->at("reply"), "Acme Realty alerts. Reply STOP to opt out.");
  const auto stop = twilio::map_webhook(
      {{"SmsSid", "SMin3"}, {"From", "+12065550123"}, {"Body", "Stop"}}, "https://h/wh", "", why);
  EXPECT_EQ(stop->at("type"), "opted_out");
  EXPECT_EQ(stop->at("provider_event_id"), "SMin3");
}

namespace {

provider_support::ProviderResponse answer(
    int status, std::string body, std::vector<std::pair<std::string, std::string>> headers = {}) {
  provider_support::ProviderResponse r;
  r.http.status = status;
  r.http.body = std::move(body);
  r.http.headers = std::move(headers);
  return r;
}

std::string error_body(int code, const std::string& message, int status) {
  return json{{"code", code}, {"message", message}, {"status", status}}.dump();
}

}  // namespace

TEST(TwilioMessages, ErrorCodesMapToFailRetryInvalidAndTheSuppressMarker) {
  auto ok = twilio::classify_messages_response(answer(201, R"({"sid":"SM1","status":"queued"})"));
  EXPECT_EQ(ok.status, REOS_OK);
  EXPECT_EQ(*ok.output, json({{"provider_id", "SM1"}, {"status", "queued"}}));

  auto opted_out = twilio::classify_messages_response(
      answer(400, error_body(21610, "Attempt to send to unsubscribed recipient", 400)));
  EXPECT_EQ(opted_out.status, REOS_FAIL);
  EXPECT_EQ(opted_out.output->at("suppress"), true);
  EXPECT_EQ(opted_out.output->at("reason"), "opted_out");
  EXPECT_NE(opted_out.message.find("opted out"), std::string::npos);

  for (int code : {21211, 21614}) {
    auto r = twilio::classify_messages_response(answer(400, error_body(code, "bad number", 400)));
    EXPECT_EQ(r.status, REOS_FAIL);
    EXPECT_EQ(r.message, "twilio: HTTP 400 error " + std::to_string(code) + ": bad number");
    EXPECT_FALSE(r.output);
  }
  auto limited = twilio::classify_messages_response(
      answer(429, error_body(20429, "Too Many Requests", 429), {{"Retry-After", "3"}}));
  EXPECT_EQ(limited.status, REOS_RETRY);
  EXPECT_EQ(limited.retry_after_ms, 3000u);
  EXPECT_EQ(twilio::classify_messages_response(answer(500, "")).status, REOS_RETRY);
  EXPECT_EQ(twilio::classify_messages_response(answer(401, error_body(20003, "Authenticate", 401)))
                .status,
            REOS_INVALID);
  auto unreadable = twilio::classify_messages_response(answer(201, "{\"sid\": \"SM"));
  EXPECT_EQ(unreadable.status, REOS_OK);  // accepted: never sent twice
  EXPECT_EQ(unreadable.output->at("provider_id"), "");
}
