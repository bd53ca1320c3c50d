// GET /api/v1/admin/audit: what every write records, filters and cursor pagination.
#include <gtest/gtest.h>

#include "api_test_util.hpp"

namespace reos::test {
namespace {

using nlohmann::json;

class AuditLog : public ::testing::Test {
 protected:
  ApiHarness h{nullptr};
  std::string admin = h.token("alice@one.test");
};

TEST_F(AuditLog, AWriteRecordsActorRequestContextAndBeforeAfter) {
  const std::string bob = h.user_id("bob@one.test");
  const ClientResponse r =
      h.call("PATCH", "/api/v1/admin/memberships/" + bob, admin, R"({"role":"viewer"})",
             {"User-Agent: audit-test/1.0", "X-Request-Id: req-audit-1"});
  ASSERT_EQ(r.status, 200) << r.body;
  const ClientResponse list = h.call("GET", "/api/v1/admin/audit?action=membership.update", admin);
  ASSERT_EQ(list.status, 200) << list.body;
  const json items = json_of(list)["items"];
  ASSERT_EQ(items.size(), 1u);
  const json e = items[0];
  EXPECT_EQ(e["actor_type"], "user");
  EXPECT_EQ(e["actor_id"], h.user_id("alice@one.test"));
  EXPECT_EQ(e["entity_type"], "user");
  EXPECT_EQ(e["entity_id"], bob);
  EXPECT_EQ(e["before"]["role"], "agent");
  EXPECT_EQ(e["after"]["role"], "viewer");
  EXPECT_EQ(e["ip"], "127.0.0.1");
  EXPECT_EQ(e["user_agent"], "audit-test/1.0");
  EXPECT_FALSE(e["request_id"].get<std::string>().empty());
}

TEST_F(AuditLog, FiltersAndCursorPagination) {
  const std::string carol = h.user_id("carol@one.test");
  for (const char* role : {"agent", "viewer", "agent", "viewer", "agent"}) {
    ASSERT_EQ(
        h.call("PATCH", "/api/v1/admin/memberships/" + carol, admin, json{{"role", role}}.dump())
            .status,
        200);
  }
  // Logins are audited too (alice's login above).
  EXPECT_EQ(json_of(h.call("GET", "/api/v1/admin/audit?action=auth.login", admin))["items"].size(),
            1u);

  std::vector<std::int64_t> ids;
  std::string cursor;
  for (int page = 0; page < 10; ++page) {
    const std::string path = "/api/v1/admin/audit?entity_id=" + carol + "&limit=2" +
                             (cursor.empty() ? "" : "&cursor=" + cursor);
    const ClientResponse r = h.call("GET", path, admin);
    ASSERT_EQ(r.status, 200) << r.body;
    const json page_body = json_of(r);
    for (const json& e : page_body["items"]) ids.push_back(e["id"].get<std::int64_t>());
    if (page_body["next_cursor"].is_null()) break;
    cursor = page_body["next_cursor"].get<std::string>();
  }
  ASSERT_EQ(ids.size(), 5u);
  EXPECT_TRUE(std::is_sorted(ids.rbegin(), ids.rend()));  // newest first, no repeats
  EXPECT_EQ(std::adjacent_find(ids.begin(), ids.end()), ids.end());

  EXPECT_EQ(json_of(h.call("GET",
                           "/api/v1/admin/audit?actor=" + h.user_id("alice@one.test") +
                               "&entity_type=user&limit=200",
                           admin))["items"]
                .size(),
            6u);  // 5 updates + the login
  EXPECT_EQ(json_of(h.call("GET", "/api/v1/admin/audit?since=2999-01-01T00:00:00Z", admin))["items"]
                .size(),
            0u);
  EXPECT_EQ(json_of(h.call("GET", "/api/v1/admin/audit?until=2000-01-01T00:00:00%2B02:00",
                           admin))["items"]
                .size(),
            0u);
  EXPECT_GE(json_of(h.call("GET", "/api/v1/admin/audit?since=2000-01-01T00:00:00Z", admin))["items"]
                .size(),
            6u);
}

TEST_F(AuditLog, BadQueryParametersAreAllListed) {
  const ClientResponse r =
      h.call("GET", "/api/v1/admin/audit?limit=0&since=yesterday&cursor=x&colour=red", admin);
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(invalid_names(r), (std::vector<std::string>{"query.colour", "query.cursor",
                                                        "query.limit", "query.since"}));
}

TEST_F(AuditLog, ImpossibleDatesAre400) {
  const ClientResponse r = h.call("GET", "/api/v1/admin/audit?until=2026-02-30T00:00:00Z", admin);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(invalid_names(r), std::vector<std::string>{"query.until"});
}

TEST_F(AuditLog, TenantsSeeOnlyTheirOwnTrailAndViewersNone) {
  const std::string dave = h.token("dave@two.test");
  const json items = json_of(h.call("GET", "/api/v1/admin/audit", dave))["items"];
  for (const json& e : items) EXPECT_NE(e["actor_id"], h.user_id("alice@one.test"));
  EXPECT_EQ(h.call("GET", "/api/v1/admin/audit", h.token("carol@one.test")).status, 403);
}

}  // namespace
}  // namespace reos::test
