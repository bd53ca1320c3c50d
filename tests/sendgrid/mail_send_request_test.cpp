// The Mail Send body built from a message, and the classification of SendGrid's answers.
#include "mail_send_request.hpp"

#include <gtest/gtest.h>

#include <reos/plugin.hpp>

#include "mail_send_response.hpp"

using nlohmann::json;

namespace {

sendgrid::Settings settings() {
  sendgrid::Settings s;
  s.api_key = "${SENDGRID_KEY}";
  s.from = "office@acme-realty.example";
  s.from_name = "Acme Realty";
  return s;
}

json message() {
  return {{"message_id", "5b0c6c1e-0000-4000-8000-000000000001"},
          {"tenant", "acme"},
          {"channel", "email"},
          {"to", "buyer@example.com"},
          {"to_name", "Pat Buyer"},
          {"subject", "3 new homes in Ballard"},
          {"html", "<p>Hello &amp; welcome</p>"},
          {"text", "Hello & welcome"}};
}

provider_support::ProviderResponse answer(
    int status, std::string body, std::vector<std::pair<std::string, std::string>> headers = {}) {
  provider_support::ProviderResponse r;
  r.http.status = status;
  r.http.body = std::move(body);
  r.http.headers = std::move(headers);
  r.transport = (status == 429 || status == 503) ? REOS_RETRY : REOS_OK;
  return r;
}

}  // namespace

TEST(SendGridMailSend, RenderedMessageBecomesOnePersonalizationWithTextFirstAndCustomArgs) {
  const json body = sendgrid::build_mail_send(message(), settings());
  EXPECT_EQ(body.at("personalizations"),
            json::parse(R"([{"to":[{"email":"buyer@example.com","name":"Pat Buyer"}]}])"));
  EXPECT_EQ(body.at("from"),
            json::parse(R"({"email":"office@acme-realty.example","name":"Acme Realty"})"));
  EXPECT_EQ(body.at("subject"), "3 new homes in Ballard");
  ASSERT_EQ(body.at("content").size(), 2u);
  EXPECT_EQ(body.at("content")[0].at("type"), "text/plain");  // SendGrid requires it first
  EXPECT_EQ(body.at("content")[1].at("value"), "<p>Hello &amp; welcome</p>");
  EXPECT_EQ(
      body.at("custom_args"),
      json({{"reos_message_id", "5b0c6c1e-0000-4000-8000-000000000001"}, {"reos_tenant", "acme"}}));
  EXPECT_FALSE(body.contains("template_id"));
  EXPECT_FALSE(body.contains("headers"));
}

TEST(SendGridMailSend, DynamicTemplateAttachmentsCategoriesAndListUnsubscribe) {
  json m = message();
  m.erase("subject");
  m.erase("html");
  m.erase("text");
  m["template_id"] = "d-0123456789abcdef0123456789abcdef";
  m["template_data"] = {{"first_name", "Pat"}, {"homes", 3}};
  m["attachments"] = {{{"filename", "flyer.pdf"},
                       {"content_type", "application/pdf"},
                       {"content_base64", "JVBERi0xLjQK"}}};
  m["categories"] = {"listing-alert", "ballard"};
  m["marketing"] = true;
  m["unsubscribe_url"] = "https://hub.example/u/tok123";
  m["reply_to"] = "agent@acme-realty.example";
  sendgrid::Settings s = settings();
  s.custom_args_prefix = "hub_";
  const json body = sendgrid::build_mail_send(m, s);
  EXPECT_EQ(body.at("template_id"), "d-0123456789abcdef0123456789abcdef");
  EXPECT_EQ(body.at("personalizations")[0].at("dynamic_template_data"), m["template_data"]);
  EXPECT_FALSE(body.contains("content"));
  EXPECT_EQ(body.at("attachments"),
            json::parse(R"([{"content":"JVBERi0xLjQK","type":"application/pdf",
                             "filename":"flyer.pdf","disposition":"attachment"}])"));
  EXPECT_EQ(body.at("categories"), m["categories"]);
  EXPECT_EQ(body.at("headers").at("List-Unsubscribe"), "<https://hub.example/u/tok123>");
  EXPECT_EQ(body.at("headers").at("List-Unsubscribe-Post"), "List-Unsubscribe=One-Click");
  EXPECT_EQ(body.at("reply_to").at("email"), "agent@acme-realty.example");
  EXPECT_TRUE(body.at("custom_args").contains("hub_message_id"));
}

TEST(SendGridMailSend, MessagesThatCannotBeSentNameTheField) {
  const auto expect_invalid = [](json m, const std::string& needle) {
    try {
      sendgrid::build_mail_send(m, settings());
      ADD_FAILURE() << "accepted " << m.dump();
    } catch (const reos::Invalid& e) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  };
  json m = message();
  m.erase("to");
  expect_invalid(m, "message.to: required");
  m = message();
  m.erase("message_id");
  expect_invalid(m, "message.message_id: required");
  m = message();
  m.erase("subject");
  expect_invalid(m, "message.subject");
  m = message();
  m.erase("text");
  m.erase("html");
  expect_invalid(m, "message.text");
  m = message();
  m["channel"] = "sms";
  expect_invalid(m, "message.channel");
  m = message();
  m["attachments"] = {{{"filename", "x.pdf"}}};
  expect_invalid(m, "message.attachments[0].content_type: required");
  m = message();
  m["to"] = 42;
  expect_invalid(m, "message.to: expected a string");
}

TEST(SendGridMailSend, AnswersMapToOkRetryFailInvalid) {
  auto ok = sendgrid::classify_mail_send(answer(202, "", {{"X-Message-Id", "abc123"}}), 1000);
  EXPECT_EQ(ok.status, REOS_OK);
  EXPECT_EQ(ok.provider_id, "abc123");

  auto limited = sendgrid::classify_mail_send(
      answer(429, R"({"errors":[{"field":null,"message":"too many requests"}]})",
             {{"X-RateLimit-Limit", "600"},
              {"X-RateLimit-Remaining", "0"},
              {"X-RateLimit-Reset", "1042"}}),
      1000);
  EXPECT_EQ(limited.status, REOS_RETRY);
  EXPECT_EQ(limited.retry_after_ms, 42000u);
  EXPECT_NE(limited.message.find("too many requests"), std::string::npos);

  auto retry_after = sendgrid::classify_mail_send(answer(503, "", {{"Retry-After", "7"}}), 1000);
  EXPECT_EQ(retry_after.status, REOS_RETRY);
  EXPECT_EQ(retry_after.retry_after_ms, 7000u);

  auto server = sendgrid::classify_mail_send(answer(500, "{}"), 1000);
  EXPECT_EQ(server.status, REOS_RETRY);
  EXPECT_EQ(server.retry_after_ms, 0u);

  auto bad = sendgrid::classify_mail_send(
      answer(400, R"({"errors":[{"message":"Does not contain a valid address.",
                     "field":"personalizations.0.to.0.email","help":null},
                    {"message":"Too many categories.","field":"categories"}]})"),
      1000);
  EXPECT_EQ(bad.status, REOS_FAIL);
  EXPECT_EQ(bad.message,
            "sendgrid: HTTP 400: personalizations.0.to.0.email: Does not contain a valid "
            "address.; categories: Too many categories.");

  EXPECT_EQ(sendgrid::classify_mail_send(answer(401, "{}"), 0).status, REOS_INVALID);
  EXPECT_EQ(sendgrid::classify_mail_send(answer(413, "<html>"), 0).status, REOS_FAIL);

  provider_support::ProviderResponse none;
  none.transport = REOS_RETRY;
  none.error = "timeout";
  EXPECT_EQ(sendgrid::classify_mail_send(none, 0).status, REOS_RETRY);
}
