// GET /api/v1/admin/dead-letters: failed and dead jobs only, with last_error and attempts,
// filtered and paged like /jobs.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "admin_test_support.hpp"

namespace reos::admin_api::test {
namespace {

using nlohmann::json;
using Ids = std::vector<std::int64_t>;

Ids ids_of(const json& page) {
  Ids ids;
  for (const json& item : page.at("items")) ids.push_back(item.at("id").get<std::int64_t>());
  return ids;
}

class AdminDeadLettersTest : public AdminApiTest {
 protected:
  json page(const std::string& query) const {
    const reos::test::ClientResponse r = get("/api/v1/admin/dead-letters" + query);
    EXPECT_EQ(r.status, 200) << query << " " << r.body;
    return json::parse(r.body, nullptr, false);
  }
};

TEST_F(AdminDeadLettersTest, OnlyFailedAndDeadJobsWithTheirLastErrorAndAttempts) {
  start();
  insert_job(job_row("queued"));
  const std::int64_t dead = insert_job(job_row("dead", 5, "smtp 550 mailbox unavailable"));
  insert_job(job_row("running", 1));
  const std::int64_t failed = insert_job(job_row("failed", 2, "invalid phone number"));
  insert_job(job_row("succeeded", 1, "an old error kept after success"));
  const json p = page("");
  ASSERT_EQ(ids_of(p), (Ids{dead, failed})) << p;
  EXPECT_EQ(p["items"][0].at("status"), "dead");
  EXPECT_EQ(p["items"][0].at("attempts"), 5);
  EXPECT_EQ(p["items"][0].at("max_attempts"), 5);
  EXPECT_EQ(p["items"][0].at("last_error"), "smtp 550 mailbox unavailable");
  EXPECT_EQ(p["items"][1].at("status"), "failed");
  EXPECT_EQ(p["items"][1].at("attempts"), 2);
  EXPECT_EQ(p["items"][1].at("last_error"), "invalid phone number");
  EXPECT_TRUE(p.at("next").is_null());
}

TEST_F(AdminDeadLettersTest, FiltersAndPagination) {
  start();
  Ids all, beta, dead_only;
  for (int i = 0; i < 12; ++i) {
    JobRow row = job_row(i % 4 == 0 ? "failed" : "dead", 3, "e" + std::to_string(i));
    row.tenant = i % 3 == 0 ? "beta" : "acme";
    row.kind = i % 2 ? "sms.send" : "email.send";
    insert_job(job_row("queued"));  // interleaved live jobs never show up
    all.push_back(insert_job(row));
    if (row.tenant == "beta") beta.push_back(all.back());
    if (row.status == "dead") dead_only.push_back(all.back());
  }
  EXPECT_EQ(ids_of(page("?tenant=beta")), beta);
  EXPECT_EQ(ids_of(page("?status=dead")), dead_only);
  Ids sms;
  for (std::size_t i = 1; i < all.size(); i += 2) sms.push_back(all[i]);
  EXPECT_EQ(ids_of(page("?kind=sms.send")), sms);

  Ids seen;
  std::string after;
  for (int pages = 0; pages < 20; ++pages) {
    const json p = page("?limit=5" + (after.empty() ? "" : "&after=" + after));
    const Ids ids = ids_of(p);
    seen.insert(seen.end(), ids.begin(), ids.end());
    if (p.at("next").is_null()) break;
    after = p.at("next").get<std::string>();
  }
  EXPECT_EQ(seen, all);
}

TEST_F(AdminDeadLettersTest, OnlyDeadLetterStatusesAreAccepted) {
  start();
  for (const char* status : {"queued", "running", "succeeded", "zombie"}) {
    const reos::test::ClientResponse r =
        get(std::string("/api/v1/admin/dead-letters?status=") + status + "&limit=900");
    EXPECT_EQ(r.status, 400) << status;
    const json problem = json::parse(r.body);
    ASSERT_EQ(problem.at("invalid_params").size(), 2u) << problem;
    EXPECT_EQ(problem["invalid_params"][0].at("name"), "status");
    EXPECT_EQ(problem["invalid_params"][0].at("reason"), "must be one of: failed, dead");
    EXPECT_EQ(problem["invalid_params"][1].at("name"), "limit");
  }
}

}  // namespace
}  // namespace reos::admin_api::test
