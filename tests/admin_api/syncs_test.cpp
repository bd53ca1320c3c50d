// GET /api/v1/admin/syncs: sync runs newest first with their counters and a status, filtered
// by tenant and connector, paged with `before`; bad parameters all named in one 400.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "admin_test_support.hpp"

namespace reos::admin_api::test {
namespace {

using nlohmann::json;

class AdminSyncsTest : public AdminApiTest {
 protected:
  void SetUp() override {
    AdminApiTest::SetUp();
    exec(
        "INSERT INTO sync_runs (tenant_id, pipeline_id, connector_id, run_key, full_sync,"
        "  started_at, pulled_at, finished_at, pages, pages_done, fetched, inserted, updated,"
        "  unchanged, quarantined, gone, error) VALUES"
        " ('acme', 'listings', 'mls', 'r1', true, '2025-01-01 00:00:00+00',"
        "  '2025-01-01 00:00:09+00', '2025-01-01 00:00:10.5+00', 40, 40, 100000, 99990, 0, 0,"
        "  10, 0, 'gone check skipped: 10 record(s) quarantined (…)'),"
        " ('acme', 'listings', 'mls', 'r2', false, '2025-01-02 00:00:00+00', NULL, NULL,"
        "  1, 0, 2500, 0, 3, 2497, 0, 0, NULL),"
        " ('acme', 'listings', 'kc', 'r3', false, '2025-01-03 00:00:00+00',"
        "  '2025-01-03 00:00:01+00', '2025-01-03 00:00:01+00', 0, 0, 0, 0, 0, 0, 0, 0,"
        "  'pull from ''kc'' failed: FAIL: RETS Search failed: ReplyCode 20203'),"
        " ('beta', 'listings', 'mls', 'r4', true, '2025-01-04 00:00:00+00',"
        "  '2025-01-04 00:00:01+00', '2025-01-04 00:00:02+00', 1, 1, 5, 0, 0, 4, 0, 1, NULL)");
    start();
  }
  json page(const std::string& query) const {
    const auto r = get("/api/v1/admin/syncs" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body, nullptr, false);
  }
};

TEST_F(AdminSyncsTest, ListsRunsNewestFirstWithCountersAndStatus) {
  const json all = page("");
  ASSERT_EQ(all.at("items").size(), 4u) << all.dump();
  EXPECT_EQ(all["items"][0]["tenant"], "beta");
  EXPECT_EQ(all["items"][0]["gone"], 1);
  EXPECT_EQ(all["items"][0]["status"], "succeeded");
  EXPECT_EQ(all["items"][1]["status"], "failed");
  EXPECT_EQ(all["items"][2]["status"], "running");
  EXPECT_TRUE(all["items"][2]["finished_at"].is_null());
  const json& first = all["items"][3];
  EXPECT_EQ(first["status"], "succeeded");  // the skipped gone check is a note, not a failure
  EXPECT_EQ(first["full"], true);
  EXPECT_EQ(first["fetched"], 100000);
  EXPECT_EQ(first["inserted"], 99990);
  EXPECT_EQ(first["quarantined"], 10);
  EXPECT_EQ(first["started_at"], "2025-01-01T00:00:00.000000Z");
  EXPECT_EQ(first["finished_at"], "2025-01-01T00:00:10.500000Z");
  EXPECT_TRUE(all["next_before"].is_null());
}

TEST_F(AdminSyncsTest, FiltersByTenantAndConnectorAndPagesWithBefore) {
  const json mls = page("?tenant=acme&connector=mls&limit=1");
  ASSERT_EQ(mls.at("items").size(), 1u);
  EXPECT_EQ(mls["items"][0]["connector"], "mls");
  EXPECT_EQ(mls["items"][0]["unchanged"], 2497);
  ASSERT_TRUE(mls["next_before"].is_number());
  const json next = page("?tenant=acme&connector=mls&limit=1&before=" +
                         std::to_string(mls["next_before"].get<long long>()));
  ASSERT_EQ(next.at("items").size(), 1u);
  EXPECT_EQ(next["items"][0]["fetched"], 100000);
  EXPECT_TRUE(next["next_before"].is_null());
}

TEST_F(AdminSyncsTest, NamesEveryBadParameterAndNeedsTheOperatorToken) {
  const auto bad = get("/api/v1/admin/syncs?tenant=ACME&limit=0&conector=x");
  EXPECT_EQ(bad.status, 400);
  const json problem = json::parse(bad.body, nullptr, false);
  std::set<std::string> names;
  for (const json& p : problem.at("invalid_params")) names.insert(p.at("name"));
  EXPECT_EQ(names, (std::set<std::string>{"tenant", "limit", "conector"})) << bad.body;
  EXPECT_EQ(get("/api/v1/admin/syncs", std::nullopt).status, 401);
  EXPECT_EQ(get("/api/v1/admin/syncs", std::string("wrong-token-wrong-token")).status, 401);
}

}  // namespace
}  // namespace reos::admin_api::test
