// /api/v1/messages and /api/v1/suppressions over real HTTP (the in-process REST API).

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "config/hub_config.hpp"
#include "http/router.hpp"
#include "messaging/messaging_routes.hpp"
#include "support/api_harness.hpp"

namespace reos::test {
namespace {

using nlohmann::json;

class MessagesApiTest : public ::testing::Test {
 protected:
  MessagesApiTest()
      : harness([](http::Router& router, const api::ApiContext& api) {
          config::HubConfig hub;
          config::TenantConfig t;
          t.id = "t-one";
          t.name = "One Realty";
          t.messaging_json = R"({"templates":{"hello":{"channel":"email","variables":["street"],
            "subject":"About {{street}}","text":"Hi {{contact.first_name}}"},
            "ping":{"channel":"sms","variables":["street"],"text":"{{street}} is open"}}})";
          hub.tenants.push_back(t);
          messaging::add_messaging_routes(router, api, hub);
        }) {
    sql("INSERT INTO connectors (tenant_id, id, plugin, settings_ref) VALUES"
        " ('t-one', 'mailer', 'recording_notifier', 'test')");
    admin = harness.token("alice@one.test");
    agent = harness.token("bob@one.test");
  }

  std::string sql(const std::string& statement) {
    pqxx::connection conn(harness.conninfo());
    pqxx::work tx(conn);
    const pqxx::result r = tx.exec(statement);
    tx.commit();
    return r.empty() || r[0][0].is_null() ? "" : r[0][0].as<std::string>();
  }

  static std::vector<std::string> invalid_names(const ClientResponse& r) {
    std::vector<std::string> names;
    for (const json& p : json::parse(r.body).value("invalid_params", json::array())) {
      names.push_back(p["name"]);
    }
    return names;
  }

  ApiHarness harness;
  std::string admin, agent;
};

TEST_F(MessagesApiTest, QueuesATemplatedMessageAndShowsItWithItsTimeline) {
  const std::string contact =
      sql("INSERT INTO contacts (tenant_id, first_name, email) VALUES ('t-one', 'Ann',"
          " 'Ann@Example.com') RETURNING id::text");
  auto r = harness.call("POST", "/api/v1/messages", agent,
                        json{{"channel", "email"},
                             {"connector", "mailer"},
                             {"contact_id", contact},
                             {"template", "hello"},
                             {"data", {{"street", "Elm"}}}}
                            .dump());
  ASSERT_EQ(r.status, 202) << r.body;
  const json created = json::parse(r.body);
  EXPECT_EQ(created["status"], "queued");
  EXPECT_EQ(created["to"], "ann@example.com");  // from the contact, normalized
  EXPECT_EQ(r.header("location"), "/api/v1/messages/" + created["id"].get<std::string>());
  EXPECT_EQ(sql("SELECT count(*) FROM jobs WHERE kind = 'message.send' AND payload->>'message_id'"
                " = '" +
                created["id"].get<std::string>() + "'"),
            "1");
  EXPECT_EQ(sql("SELECT count(*) FROM audit_log WHERE action = 'message.create'"), "1");

  r = harness.call("GET", "/api/v1/messages/" + created["id"].get<std::string>(), agent);
  ASSERT_EQ(r.status, 200) << r.body;
  const json one = json::parse(r.body);
  ASSERT_EQ(one["events"].size(), 1u);
  EXPECT_EQ(one["events"][0]["type"], "queued");
  EXPECT_EQ(one["template"], "hello");

  r = harness.call("GET", "/api/v1/messages?status=queued&channel=email&to=ANN@example.com", agent);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["items"].size(), 1u);
  r = harness.call("GET", "/api/v1/messages?status=sent", agent);
  EXPECT_EQ(json::parse(r.body)["items"].size(), 0u);
  // Another tenant cannot see it; a viewer cannot send.
  EXPECT_EQ(harness
                .call("GET", "/api/v1/messages/" + created["id"].get<std::string>(),
                      harness.token("dave@two.test"))
                .status,
            404);
  EXPECT_EQ(harness
                .call("POST", "/api/v1/messages", harness.token("carol@one.test"),
                      R"({"channel":"sms","connector":"mailer","to":"+12065550100","text":"x"})")
                .status,
            403);
}

TEST_F(MessagesApiTest, RefusesBadRequestsNamingEveryField) {
  auto r = harness.call("POST", "/api/v1/messages", agent,
                        R"({"channel":"email","connector":"mailer","to":"not-an-address",
                            "template":"hello","subject":"also inline","data":{"street":"x","zip":1}})");
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(invalid_names(r), (std::vector<std::string>{"to", "template", "data/zip"}));
  r = harness.call("POST", "/api/v1/messages", agent,
                   R"({"channel":"sms","connector":"nope","to":"+12065550100","text":"hi"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(invalid_names(r), std::vector<std::string>{"connector"});
  r = harness.call("POST", "/api/v1/messages", agent,
                   R"({"channel":"email","connector":"mailer","to":"a@b.test","text":"x",
                       "marketing":true,"colour":"red"})");
  EXPECT_EQ(r.status, 400);
}

TEST_F(MessagesApiTest, AnSmsReportsItsEncodingAndSegments) {
  auto r = harness.call("POST", "/api/v1/messages", agent,
                        json{{"channel", "sms"},
                             {"connector", "mailer"},
                             {"to", "+1 206 555 0100"},
                             {"text", std::string(161, 'x')}}
                            .dump());
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(json::parse(r.body)["sms"],
            json({{"encoding", "GSM-7"}, {"length", 161}, {"segments", 2}}));
  r = harness.call("POST", "/api/v1/messages", agent,
                   json{{"channel", "sms"},
                        {"connector", "mailer"},
                        {"to", "+12065550100"},
                        {"template", "ping"},
                        {"data", {{"street", "Straße 1 ✓"}}}}
                       .dump());
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(json::parse(r.body)["sms"]["encoding"], "UCS-2");
}

TEST_F(MessagesApiTest, SuppressionsAreAddedListedAndLiftedByAdminsOnly) {
  auto r = harness.call(
      "POST", "/api/v1/suppressions", agent,
      R"({"channel":"email","address":" Ann@Example.com ","reason":"asked by phone"})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(json::parse(r.body)["address"], "ann@example.com");
  EXPECT_EQ(json::parse(r.body)["source"], "api");
  EXPECT_EQ(harness
                .call("POST", "/api/v1/suppressions", agent,
                      R"({"channel":"email","address":"ann@example.com"})")
                .status,
            200);
  r = harness.call("POST", "/api/v1/suppressions", agent, R"({"channel":"sms","address":"555"})");
  EXPECT_EQ(invalid_names(r), std::vector<std::string>{"address"});
  r = harness.call("GET", "/api/v1/suppressions?channel=email", agent);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json::parse(r.body)["items"].size(), 1u);
  EXPECT_EQ(harness.call("DELETE", "/api/v1/suppressions/email/ann@example.com", agent).status,
            403);
  EXPECT_EQ(harness.call("DELETE", "/api/v1/suppressions/email/ann@example.com", admin).status,
            204);
  EXPECT_EQ(harness.call("DELETE", "/api/v1/suppressions/email/ann@example.com", admin).status,
            404);
}

}  // namespace
}  // namespace reos::test
