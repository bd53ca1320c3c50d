// POST /api/v1/admin/jobs/{id}/retry: failed | dead → queued with attempts reset; 409 for
// every other state; 404 for an unknown job.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "admin_test_support.hpp"

namespace reos::admin_api::test {
namespace {

using nlohmann::json;

class AdminRetryTest : public AdminApiTest {
 protected:
  std::string row_of(std::int64_t id) const {
    return text(
        "SELECT status || '/' || attempts || '/' || (finished_at IS NULL) ||"
        " '/' || (run_at <= now()) FROM jobs WHERE id = " +
        std::to_string(id));
  }
  static std::string retry_path(std::int64_t id) {
    return "/api/v1/admin/jobs/" + std::to_string(id) + "/retry";
  }
};

TEST_F(AdminRetryTest, RetryingADeadJobRequeuesItWithAttemptsResetAndOnlyOnce) {
  start();
  const std::int64_t id = insert_job(job_row("dead", 5, "gave up after 5 attempts"));
  const std::int64_t other = insert_job(job_row("dead", 5, "another"));
  const reos::test::ClientResponse r = post(retry_path(id));
  ASSERT_EQ(r.status, 200) << r.body;
  const json job = json::parse(r.body);
  EXPECT_EQ(job.at("id"), id);
  EXPECT_EQ(job.at("status"), "queued");
  EXPECT_EQ(job.at("attempts"), 0);
  EXPECT_EQ(job.at("last_error"), "gave up after 5 attempts") << "kept for the record";
  EXPECT_TRUE(job.at("finished_at").is_null());
  EXPECT_EQ(row_of(id), "queued/0/true/true");
  EXPECT_EQ(row_of(other), "dead/5/false/true") << "only the named job moves";

  const reos::test::ClientResponse again = post(retry_path(id));
  EXPECT_EQ(again.status, 409) << again.body;
  EXPECT_EQ(again.header("content-type"), "application/problem+json");
  EXPECT_EQ(json::parse(again.body).at("detail"),
            "job " + std::to_string(id) + " is queued; only failed or dead jobs can be retried");
  EXPECT_EQ(row_of(id), "queued/0/true/true");
}

TEST_F(AdminRetryTest, RetryingAFailedJobRequeuesIt) {
  start();
  const std::int64_t id = insert_job(job_row("failed", 1, "invalid address"));
  const reos::test::ClientResponse r = post(retry_path(id));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(row_of(id), "queued/0/true/true");
  // It is no longer a dead letter.
  const json letters = json::parse(get("/api/v1/admin/dead-letters").body);
  EXPECT_TRUE(letters.at("items").empty()) << letters;
}

TEST_F(AdminRetryTest, OtherStatesAre409AndUnchanged) {
  start();
  for (const char* status : {"queued", "running", "succeeded"}) {
    const std::int64_t id = insert_job(job_row(status, 1));
    const std::string before = row_of(id);
    const reos::test::ClientResponse r = post(retry_path(id));
    EXPECT_EQ(r.status, 409) << status << " " << r.body;
    EXPECT_EQ(json::parse(r.body).at("detail"), "job " + std::to_string(id) + " is " + status +
                                                    "; only failed or dead jobs can be retried");
    EXPECT_EQ(row_of(id), before) << status;
  }
}

TEST_F(AdminRetryTest, UnknownJobIs404AndBadIdIs400) {
  start();
  const std::int64_t id = insert_job(job_row("dead", 5));
  const reos::test::ClientResponse r = post(retry_path(id + 100));
  EXPECT_EQ(r.status, 404) << r.body;
  EXPECT_EQ(r.header("content-type"), "application/problem+json");
  EXPECT_EQ(json::parse(r.body).at("detail"), "no job " + std::to_string(id + 100));
  EXPECT_EQ(post("/api/v1/admin/jobs/x/retry").status, 400);
  EXPECT_EQ(row_of(id), "dead/5/false/true");
  // GET on the retry route is not allowed.
  EXPECT_EQ(get(retry_path(id)).status, 405);
}

}  // namespace
}  // namespace reos::admin_api::test
