// Unsubscribe tokens: valid, expired, tampered; and the public endpoint over real HTTP.

#include "messaging/unsubscribe_token.hpp"

#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include "config/hub_config.hpp"
#include "http/router.hpp"
#include "messaging/messaging_routes.hpp"
#include "messaging/messaging_tenants.hpp"
#include "plugin_runtime/test_plugins.hpp"
#include "support/api_harness.hpp"

namespace reos::test {
namespace {

using messaging::TokenCheck;
using messaging::UnsubscribeClaims;
using messaging::verify_unsubscribe_token;

const UnsubscribeClaims kClaims{"t-one", "email", "ann@example.com",
                                "7d1f2a3b-0000-4000-8000-000000000001", 2000000000};

TEST(UnsubscribeToken, RoundTripsAndExpires) {
  const std::string token = messaging::sign_unsubscribe_token(kClaims, "k1");
  UnsubscribeClaims out;
  EXPECT_EQ(verify_unsubscribe_token(token, "k1", 1999999999, out), TokenCheck::valid);
  EXPECT_EQ(out.address, "ann@example.com");
  EXPECT_EQ(out.message_id, kClaims.message_id);
  EXPECT_EQ(verify_unsubscribe_token(token, "k1", 2000000000, out), TokenCheck::expired);
  EXPECT_EQ(messaging::unsubscribe_token_tenant(token), "t-one");
}

TEST(UnsubscribeToken, AnyChangeOrAnotherKeyIsRefused) {
  const std::string token = messaging::sign_unsubscribe_token(kClaims, "k1");
  UnsubscribeClaims out;
  EXPECT_EQ(verify_unsubscribe_token(token, "k2", 0, out), TokenCheck::bad_signature);
  UnsubscribeClaims other = kClaims;
  other.address = "bob@example.com";
  const std::string forged_payload = messaging::sign_unsubscribe_token(other, "attacker");
  const std::string spliced =
      forged_payload.substr(0, forged_payload.find('.')) + token.substr(token.find('.'));
  EXPECT_EQ(verify_unsubscribe_token(spliced, "k1", 0, out), TokenCheck::bad_signature);
  std::string flipped = token;
  flipped.back() = flipped.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(verify_unsubscribe_token(flipped, "k1", 0, out), TokenCheck::bad_signature);
  EXPECT_EQ(verify_unsubscribe_token("garbage", "k1", 0, out), TokenCheck::malformed);
  EXPECT_EQ(verify_unsubscribe_token("a.b.c", "k1", 0, out), TokenCheck::malformed);
}

// The public endpoint on a real server; tenant t-one of the harness has messaging configured.
class UnsubscribeEndpointTest : public ::testing::Test {
 protected:
  UnsubscribeEndpointTest()
      : harness([this](http::Router& router, const api::ApiContext& api) {
          secret_file = dir.write("secret", "endpoint-secret");
          config::HubConfig hub;
          config::TenantConfig t;
          t.id = "t-one";
          t.name = "One Realty";
          t.secrets = {{"unsub", "file:" + secret_file}};
          t.messaging_json = R"({"unsubscribe_secret":"unsub","public_url":"https://x.test"})";
          hub.tenants.push_back(t);
          messaging::add_messaging_routes(router, api, hub);
        }) {}

  std::string token(std::int64_t expires, const std::string& secret = "endpoint-secret") {
    UnsubscribeClaims c = kClaims;
    c.message_id = "";
    c.expires_at = expires;
    return messaging::sign_unsubscribe_token(c, secret);
  }
  std::int64_t suppressions() {
    auto conn = pqxx::connection(harness.conninfo());
    pqxx::nontransaction tx(conn);
    return tx
        .exec1(
            "SELECT count(*) FROM suppressions WHERE tenant_id = 't-one' AND channel ="
            " 'email' AND address = 'ann@example.com' AND source = 'unsubscribe_link'")[0]
        .as<std::int64_t>();
  }

  ScratchDir dir;
  std::string secret_file;
  ApiHarness harness;
};

TEST_F(UnsubscribeEndpointTest, GetOnlyConfirmsAndOneClickPostUnsubscribesAtOnce) {
  const std::string path = "/api/v1/unsubscribe/" + token(4000000000);
  auto page = harness.call("GET", path, "");
  EXPECT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("One Realty"), std::string::npos);
  EXPECT_NE(page.body.find("a**@example.com"), std::string::npos);
  EXPECT_NE(page.body.find("List-Unsubscribe"), std::string::npos);
  EXPECT_EQ(suppressions(), 0);  // a link scanner's GET changes nothing
  auto refused =
      harness.call("POST", path, "", "x=1", {"Content-Type: application/x-www-form-urlencoded"});
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(suppressions(), 0);
  auto done = harness.call("POST", path, "", "List-Unsubscribe=One-Click",
                           {"Content-Type: application/x-www-form-urlencoded"});
  EXPECT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(suppressions(), 1);
  done = harness.call("POST", path, "", "List-Unsubscribe=One-Click",
                      {"Content-Type: application/x-www-form-urlencoded"});
  EXPECT_EQ(done.status, 200);  // again: still unsubscribed, nothing doubled
  EXPECT_EQ(suppressions(), 1);
}

TEST_F(UnsubscribeEndpointTest, ExpiredAndTamperedLinksAreRefused) {
  const std::string expired = "/api/v1/unsubscribe/" + token(1000);
  EXPECT_EQ(harness.call("GET", expired, "").status, 410);
  EXPECT_EQ(harness
                .call("POST", expired, "", "List-Unsubscribe=One-Click",
                      {"Content-Type: application/x-www-form-urlencoded"})
                .status,
            410);
  const std::string forged = "/api/v1/unsubscribe/" + token(4000000000, "guessed-secret");
  EXPECT_EQ(harness.call("GET", forged, "").status, 400);
  EXPECT_EQ(harness
                .call("POST", forged, "", "List-Unsubscribe=One-Click",
                      {"Content-Type: application/x-www-form-urlencoded"})
                .status,
            400);
  EXPECT_EQ(suppressions(), 0);
}

}  // namespace
}  // namespace reos::test
