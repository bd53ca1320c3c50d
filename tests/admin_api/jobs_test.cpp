// GET /api/v1/admin/jobs (filters, cursor pagination, validation) and GET /jobs/{id}.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "admin_test_support.hpp"

namespace reos::admin_api::test {
namespace {

using nlohmann::json;

class AdminJobsTest : public AdminApiTest {
 protected:
  json get_json(const std::string& path, long expected_status = 200) const {
    const reos::test::ClientResponse r = get(path);
    EXPECT_EQ(r.status, expected_status) << path << " " << r.body;
    const json body = json::parse(r.body, nullptr, false);
    EXPECT_FALSE(body.is_discarded()) << r.body;
    return body;
  }
  static std::vector<std::int64_t> ids_of(const json& page) {
    std::vector<std::int64_t> ids;
    for (const json& item : page.at("items")) ids.push_back(item.at("id").get<std::int64_t>());
    return ids;
  }
  static std::set<std::string> invalid_names(const json& problem) {
    std::set<std::string> names;
    for (const json& p : problem.value("invalid_params", json::array())) {
      names.insert(p.at("name").get<std::string>());
    }
    return names;
  }
};

TEST_F(AdminJobsTest, AJobIsRenderedWithEveryField) {
  start();
  JobRow row = job_row("dead", 5, "provider said 503");
  row.kind = "cma.run";
  row.payload = R"({"listing": "L-1", "price": 350000})";
  row.correlation_id = "corr-42";
  const std::int64_t id = insert_job(row);
  const json page = get_json("/api/v1/admin/jobs");
  ASSERT_EQ(page.at("items").size(), 1u) << page;
  const json& job = page["items"][0];
  EXPECT_EQ(job.at("id"), id);
  EXPECT_EQ(job.at("tenant"), "acme");
  EXPECT_EQ(job.at("kind"), "cma.run");
  EXPECT_EQ(job.at("status"), "dead");
  EXPECT_EQ(job.at("attempts"), 5);
  EXPECT_EQ(job.at("max_attempts"), 5);
  EXPECT_EQ(job.at("last_error"), "provider said 503");
  EXPECT_EQ(job.at("correlation_id"), "corr-42");
  EXPECT_EQ(job.at("payload"), json::parse(row.payload));
  EXPECT_EQ(job.at("payload_truncated"), false);
  EXPECT_TRUE(job.at("lease_owner").is_null());
  EXPECT_TRUE(job.at("idempotency_key").is_null());
  for (const char* t : {"run_at", "created_at", "updated_at", "finished_at"}) {
    ASSERT_TRUE(job.at(t).is_string()) << t << " " << job;
    EXPECT_EQ(job.at(t).get<std::string>().size(), 27u) << t;  // 2025-01-02T03:04:05.123456Z
    EXPECT_EQ(job.at(t).get<std::string>().back(), 'Z') << t;
  }
  EXPECT_EQ(job.at("created_at").get<std::string>().substr(0, 10),
            text("SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') FROM jobs"));
  EXPECT_TRUE(page.at("next").is_null());
}

TEST_F(AdminJobsTest, EachFilterSelectsExactlyItsJobs) {
  start();
  JobRow a = job_row("queued");
  JobRow b = job_row("dead", 5, "x");
  b.kind = "email.send";
  JobRow c = job_row("running", 1);
  c.tenant = "beta";
  JobRow d = job_row("succeeded", 1);
  d.tenant = "beta";
  d.kind = "email.send";
  const std::int64_t ia = insert_job(a), ib = insert_job(b), ic = insert_job(c), id = insert_job(d);
  using Ids = std::vector<std::int64_t>;
  EXPECT_EQ(ids_of(get_json("/api/v1/admin/jobs")), (Ids{ia, ib, ic, id}));
  EXPECT_EQ(ids_of(get_json("/api/v1/admin/jobs?status=dead")), (Ids{ib}));
  EXPECT_EQ(ids_of(get_json("/api/v1/admin/jobs?status=running")), (Ids{ic}));
  EXPECT_EQ(ids_of(get_json("/api/v1/admin/jobs?status=failed")), (Ids{}));
  EXPECT_EQ(ids_of(get_json("/api/v1/admin/jobs?kind=email.send")), (Ids{ib, id}));
  EXPECT_EQ(ids_of(get_json("/api/v1/admin/jobs?tenant=beta")), (Ids{ic, id}));
  EXPECT_EQ(ids_of(get_json("/api/v1/admin/jobs?tenant=beta&kind=email.send")), (Ids{id}));
  EXPECT_EQ(ids_of(get_json("/api/v1/admin/jobs?tenant=acme&status=queued&kind=feed.pull")),
            (Ids{ia}));
  // Empty values do not filter (a form that leaves a field blank).
  EXPECT_EQ(ids_of(get_json("/api/v1/admin/jobs?status=&kind=&tenant=")), (Ids{ia, ib, ic, id}));
  EXPECT_EQ(ids_of(get_json("/api/v1/admin/jobs?tenant=nobody")), (Ids{}));
}

TEST_F(AdminJobsTest, PaginationWalksEveryRowExactlyOnce) {
  start();
  std::vector<std::int64_t> expected, expected_beta;
  for (int i = 0; i < 23; ++i) {
    JobRow row = job_row(i % 3 == 0 ? "dead" : "queued");
    row.tenant = i % 2 ? "beta" : "acme";
    expected.push_back(insert_job(row));
    if (i % 2) expected_beta.push_back(expected.back());
  }
  const auto walk = [&](const std::string& base, std::size_t limit) {
    std::vector<std::int64_t> seen;
    std::string next = "";
    int pages = 0;
    while (true) {
      const json page = get_json(base + "&limit=" + std::to_string(limit) +
                                 (next.empty() ? "" : "&after=" + next));
      const std::vector<std::int64_t> ids = ids_of(page);
      EXPECT_LE(ids.size(), limit);
      seen.insert(seen.end(), ids.begin(), ids.end());
      ++pages;
      if (page.at("next").is_null() || pages > 50) break;
      EXPECT_EQ(ids.size(), limit) << "only the last page may be short";
      next = page.at("next").get<std::string>();
      EXPECT_EQ(next, std::to_string(ids.back()));
    }
    return std::make_pair(seen, pages);
  };
  auto [all, pages] = walk("/api/v1/admin/jobs?", 5);
  EXPECT_EQ(all, expected);
  EXPECT_EQ(pages, 5);  // 5 + 5 + 5 + 5 + 3
  auto [beta, beta_pages] = walk("/api/v1/admin/jobs?tenant=beta", 4);
  EXPECT_EQ(beta, expected_beta);
  EXPECT_EQ(beta_pages, 3);  // 11 = 4 + 4 + 3
  // An exact multiple ends with next = null on the full last page, not an empty extra page.
  auto [exact, exact_pages] = walk("/api/v1/admin/jobs?tenant=beta", 11);
  EXPECT_EQ(exact, expected_beta);
  EXPECT_EQ(exact_pages, 1);
  // The default page size is 50.
  EXPECT_EQ(ids_of(get_json("/api/v1/admin/jobs")), expected);
}

TEST_F(AdminJobsTest, InvalidParametersAreAllNamedInOne400) {
  start();
  const reos::test::ClientResponse r = get("/api/v1/admin/jobs?status=lost&limit=0");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.header("content-type"), "application/problem+json");
  const json problem = json::parse(r.body);
  EXPECT_EQ(problem.at("status"), 400);
  EXPECT_EQ(invalid_names(problem), (std::set<std::string>{"status", "limit"})) << problem;
  for (const json& p : problem.at("invalid_params")) {
    if (p.at("name") == "status") {
      EXPECT_EQ(p.at("reason"), "must be one of: queued, running, succeeded, failed, dead");
    } else {
      EXPECT_EQ(p.at("reason"), "must be an integer from 1 to 500");
    }
  }
  for (const char* limit : {"501", "-1", "abc", "1.5", "99999999999999999999"}) {
    EXPECT_EQ(invalid_names(get_json(std::string("/api/v1/admin/jobs?limit=") + limit, 400)),
              (std::set<std::string>{"limit"}))
        << limit;
  }
  EXPECT_EQ(invalid_names(
                get_json("/api/v1/admin/jobs?kind=Bad%20Kind&tenant=-x&after=-3&stauts=dead", 400)),
            (std::set<std::string>{"kind", "tenant", "after", "stauts"}));
  EXPECT_EQ(invalid_names(get_json("/api/v1/admin/jobs?status=dead&status=failed", 400)),
            (std::set<std::string>{"status"}));
  // Bounds are inclusive.
  get_json("/api/v1/admin/jobs?limit=1");
  get_json("/api/v1/admin/jobs?limit=500");
}

TEST_F(AdminJobsTest, OneJobByIdOr404) {
  start();
  const std::int64_t id = insert_job(job_row("failed", 2, "bad address"));
  const json job = get_json("/api/v1/admin/jobs/" + std::to_string(id));
  EXPECT_EQ(job.at("id"), id);
  EXPECT_EQ(job.at("status"), "failed");
  EXPECT_EQ(job.at("last_error"), "bad address");

  const reos::test::ClientResponse missing = get("/api/v1/admin/jobs/" + std::to_string(id + 1));
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.header("content-type"), "application/problem+json");
  EXPECT_EQ(json::parse(missing.body).at("detail"), "no job " + std::to_string(id + 1));

  for (const char* bad : {"abc", "0", "-1", "1e3", "99999999999999999999"}) {
    const json problem = get_json(std::string("/api/v1/admin/jobs/") + bad, 400);
    EXPECT_EQ(invalid_names(problem), (std::set<std::string>{"id"})) << bad;
  }
}

TEST_F(AdminJobsTest, LargePayloadsAreCutInListingsButWholeByIdSo) {
  start();
  JobRow row = job_row("queued");
  row.payload = R"({"blob": ")" + std::string(6000, 'x') + R"("})";
  const std::int64_t id = insert_job(row);
  JobRow small = job_row("queued");
  small.payload = R"({"n": 1})";
  insert_job(small);
  const json page = get_json("/api/v1/admin/jobs");
  const json& big = page.at("items").at(0);
  EXPECT_EQ(big.at("payload_truncated"), true);
  ASSERT_TRUE(big.at("payload").is_string());
  EXPECT_EQ(big.at("payload").get<std::string>().size(), 4096u);
  EXPECT_EQ(big.at("payload_bytes").get<std::int64_t>(),
            std::stoll(text("SELECT octet_length(payload::text) FROM jobs WHERE id = " +
                            std::to_string(id))));
  EXPECT_EQ(page.at("items").at(1).at("payload"), json::parse(small.payload));
  EXPECT_EQ(page.at("items").at(1).at("payload_truncated"), false);

  const json whole = get_json("/api/v1/admin/jobs/" + std::to_string(id));
  EXPECT_EQ(whole.at("payload_truncated"), false);
  EXPECT_EQ(whole.at("payload").at("blob").get<std::string>().size(), 6000u);
}

}  // namespace
}  // namespace reos::admin_api::test
