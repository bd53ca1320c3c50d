// GET /api/v1/admin/connectors: the connectors table (status, last run, error, state with the
// cursor), the injected circuit breakers, and job counts per connector.
#include <gtest/gtest.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "admin_api/job_json.hpp"
#include "admin_test_support.hpp"

namespace reos::admin_api::test {
namespace {

using nlohmann::json;

class AdminConnectorsTest : public AdminApiTest {
 protected:
  void SetUp() override {
    AdminApiTest::SetUp();
    exec(
        "INSERT INTO connectors (tenant_id, id, plugin, enabled, settings_ref, state, status,"
        "  last_run_at, last_error) VALUES"
        " ('acme', 'kc-sales', 'file_feed', true, 'x', '{\"cursor\": \"2025-01-02T00:00:00Z\"}',"
        "  'failing', '2025-01-02 03:04:05.5+00', 'feed unreachable'),"
        " ('acme', 'crm', 'crm_hubspot', false, 'x', '{}', 'disabled', NULL, NULL),"
        " ('beta', 'mls', 'reso_webapi', true, 'x', '{\"cursor\": \"p-17\", \"etag\": \"w/1\"}',"
        "  'idle', '2025-01-03 00:00:00+00', NULL)");
  }
  json connectors(const std::string& query = "") const {
    const reos::test::ClientResponse r = get("/api/v1/admin/connectors" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body, nullptr, false);
  }
  static const json& item(const json& page, const std::string& tenant, const std::string& id) {
    for (const json& c : page.at("items")) {
      if (c.at("tenant") == tenant && c.at("id") == id) return c;
    }
    throw std::runtime_error("no connector " + tenant + "/" + id + " in " + page.dump());
  }
};

ConnectorCircuitSource fixed_circuits() {
  return [] {
    ConnectorCircuit open;
    open.tenant_id = "acme";
    open.connector_id = "kc-sales";
    open.state = "open";
    open.open_until = std::chrono::system_clock::time_point(std::chrono::seconds(1767225600));
    open.counters = {{"calls", 40}, {"failures", 7}, {"rejected", 3}};
    ConnectorCircuit stray;  // a circuit without a connector row is not listed
    stray.tenant_id = "beta";
    stray.connector_id = "gone";
    stray.state = "closed";
    return std::vector<ConnectorCircuit>{open, stray};
  };
}

TEST_F(AdminConnectorsTest, ListsRowsWithStateCursorCircuitAndJobCounts) {
  JobRow pull = job_row("queued");
  pull.payload = R"({"connector": "kc-sales"})";
  insert_job(pull);
  insert_job(pull);
  pull.status = "dead";
  pull.attempts = 5;
  insert_job(pull);
  pull.status = "succeeded";  // not counted
  insert_job(pull);
  JobRow beta = job_row("failed", 1);
  beta.tenant = "beta";
  beta.payload = R"({"connector": "mls"})";
  insert_job(beta);
  JobRow other_tenant = job_row("queued");  // same connector id, other tenant: not acme's
  other_tenant.tenant = "beta";
  other_tenant.payload = R"({"connector": "kc-sales"})";
  insert_job(other_tenant);
  start(kToken, fixed_circuits());

  const json page = connectors();
  ASSERT_EQ(page.at("items").size(), 3u) << page;
  EXPECT_EQ(page["items"][0].at("id"), "crm") << "ordered by tenant, then id";
  EXPECT_EQ(page["items"][1].at("id"), "kc-sales");
  EXPECT_EQ(page["items"][2].at("id"), "mls");

  const json& sales = item(page, "acme", "kc-sales");
  EXPECT_EQ(sales.at("plugin"), "file_feed");
  EXPECT_EQ(sales.at("enabled"), true);
  EXPECT_EQ(sales.at("status"), "failing");
  EXPECT_EQ(sales.at("last_run_at"), "2025-01-02T03:04:05.500000Z");
  EXPECT_EQ(sales.at("last_error"), "feed unreachable");
  EXPECT_EQ(sales.at("state"), json({{"cursor", "2025-01-02T00:00:00Z"}}));
  EXPECT_EQ(sales.at("circuit"),
            json({{"state", "open"},
                  {"open_until", "2026-01-01T00:00:00.000000Z"},
                  {"counters", {{"calls", 40}, {"failures", 7}, {"rejected", 3}}}}));
  EXPECT_EQ(sales.at("jobs"), json({{"queued", 2}, {"running", 0}, {"failed", 0}, {"dead", 1}}));

  const json& crm = item(page, "acme", "crm");
  EXPECT_EQ(crm.at("enabled"), false);
  EXPECT_EQ(crm.at("status"), "disabled");
  EXPECT_TRUE(crm.at("last_run_at").is_null());
  EXPECT_TRUE(crm.at("last_error").is_null());
  EXPECT_EQ(crm.at("state"), json::object());
  EXPECT_TRUE(crm.at("circuit").is_null());
  EXPECT_EQ(crm.at("jobs"), json({{"queued", 0}, {"running", 0}, {"failed", 0}, {"dead", 0}}));

  const json& mls = item(page, "beta", "mls");
  EXPECT_EQ(mls.at("state"), json({{"cursor", "p-17"}, {"etag", "w/1"}}));
  EXPECT_EQ(mls.at("jobs"), json({{"queued", 0}, {"running", 0}, {"failed", 1}, {"dead", 0}}));
}

TEST_F(AdminConnectorsTest, TenantFilterAndItsValidation) {
  start();
  const json beta = connectors("?tenant=beta");
  ASSERT_EQ(beta.at("items").size(), 1u) << beta;
  EXPECT_EQ(beta["items"][0].at("id"), "mls");
  EXPECT_TRUE(connectors("?tenant=nobody").at("items").empty());

  const reos::test::ClientResponse bad = get("/api/v1/admin/connectors?tenant=Bad!&limit=3");
  EXPECT_EQ(bad.status, 400);
  const json problem = json::parse(bad.body);
  ASSERT_EQ(problem.at("invalid_params").size(), 2u) << problem;
  EXPECT_EQ(problem["invalid_params"][0].at("name"), "limit");  // unknown here
  EXPECT_EQ(problem["invalid_params"][1].at("name"), "tenant");
}

TEST_F(AdminConnectorsTest, CircuitsAreNullWithoutASourceOrWhenItFails) {
  std::atomic<int> calls{0};
  start(kToken, [&calls]() -> std::vector<ConnectorCircuit> {
    ++calls;
    throw std::runtime_error("pipeline not started");
  });
  const json page = connectors();
  EXPECT_EQ(calls.load(), 1) << "asked once per request";
  ASSERT_EQ(page.at("items").size(), 3u);
  for (const json& c : page.at("items")) {
    EXPECT_TRUE(c.at("circuit").is_null()) << c;
    EXPECT_TRUE(c.at("state").is_object()) << c;
  }
}

TEST_F(AdminConnectorsTest, NoSourceMeansNullCircuits) {
  start();
  const json page = connectors();  // a range-for over connectors().at(…) would dangle
  for (const json& c : page.at("items")) EXPECT_TRUE(c.at("circuit").is_null()) << c;
}

TEST(AdminJsonTest, TimesAreRfc3339UtcWithMicroseconds) {
  using namespace std::chrono;
  EXPECT_EQ(format_utc(system_clock::time_point(microseconds(0))), "1970-01-01T00:00:00.000000Z");
  EXPECT_EQ(format_utc(system_clock::time_point(microseconds(1735787045123456))),
            "2025-01-02T03:04:05.123456Z");
  EXPECT_EQ(format_utc(system_clock::time_point(microseconds(-1))), "1969-12-31T23:59:59.999999Z");
}

}  // namespace
}  // namespace reos::admin_api::test
