// Every admin route refuses a request without the admin token (401 problem+json with a
// Bearer challenge), says so when the admin API is disabled, and never logs a token.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "admin_test_support.hpp"
#include "log/logger.hpp"

namespace reos::admin_api::test {
namespace {

using nlohmann::json;
using reos::test::ClientResponse;

struct Route {
  const char* method;
  const char* path;
};
const Route kRoutes[] = {{"GET", "/api/v1/admin/jobs"},
                         {"GET", "/api/v1/admin/jobs/1"},
                         {"POST", "/api/v1/admin/jobs/1/retry"},
                         {"GET", "/api/v1/admin/dead-letters"},
                         {"GET", "/api/v1/admin/connectors"}};

class AdminAuthTest : public AdminApiTest {
 protected:
  ClientResponse call(const Route& route, std::optional<std::string> token) const {
    return std::string(route.method) == "POST" ? post(route.path, token) : get(route.path, token);
  }
  ClientResponse call_with_header(const Route& route, const std::string& header) const {
    reos::test::ClientRequest req;
    req.method = route.method;
    req.url = reos::test::url(server_->port(), route.path);
    req.headers.push_back(header);
    return reos::test::perform(req);
  }
  static void expect_401(const ClientResponse& r, const std::string& detail,
                         const std::string& where) {
    EXPECT_EQ(r.status, 401) << where << " " << r.body;
    EXPECT_EQ(r.header("content-type"), "application/problem+json") << where;
    EXPECT_EQ(r.header("www-authenticate").rfind("Bearer realm=\"reos-admin\"", 0), 0u)
        << where << " " << r.header("www-authenticate");
    const json body = json::parse(r.body, nullptr, false);
    ASSERT_TRUE(body.is_object()) << where << " " << r.body;
    EXPECT_EQ(body.value("status", 0), 401) << where;
    EXPECT_EQ(body.value("detail", ""), detail) << where;
  }
};

TEST_F(AdminAuthTest, EveryRouteWithoutATokenIs401WithABearerChallenge) {
  start();
  for (const Route& route : kRoutes) {
    expect_401(call(route, std::nullopt),
               "missing bearer token: send Authorization: Bearer <admin token>",
               std::string(route.method) + " " + route.path);
  }
  expect_401(call_with_header(kRoutes[0], "Authorization: Basic YWRtaW46cGFzcw=="),
             "missing bearer token: send Authorization: Bearer <admin token>", "Basic scheme");
  expect_401(call_with_header(kRoutes[0], "Authorization: Bearer "),
             "missing bearer token: send Authorization: Bearer <admin token>", "empty bearer");
}

TEST_F(AdminAuthTest, EveryRouteWithAWrongTokenIs401) {
  start();
  const std::vector<std::string> wrong = {"nope", kToken.substr(0, kToken.size() - 1), kToken + "x",
                                          kToken.substr(1) + "X", std::string(kToken.size(), 'a')};
  for (const Route& route : kRoutes) {
    for (const std::string& token : wrong) {
      const ClientResponse r = call(route, token);
      expect_401(r, "invalid admin token", std::string(route.path) + " with " + token);
      EXPECT_NE(r.header("www-authenticate").find("error=\"invalid_token\""), std::string::npos);
    }
  }
  // A retry refused for its token changed nothing.
  const std::int64_t id = insert_job(job_row("dead", 5));
  EXPECT_EQ(post("/api/v1/admin/jobs/" + std::to_string(id) + "/retry", "wrong").status, 401);
  EXPECT_EQ(text("SELECT status FROM jobs WHERE id = " + std::to_string(id)), "dead");
}

TEST_F(AdminAuthTest, DisabledAdminApiAnswers401SayingHowToEnableIt) {
  start("");  // admin.token absent in hub.yaml
  for (const Route& route : kRoutes) {
    for (const std::optional<std::string>& token :
         {std::optional<std::string>(), std::optional<std::string>(kToken),
          std::optional<std::string>("")}) {
      expect_401(call(route, token), "admin API disabled: set admin.token in hub.yaml",
                 std::string(route.path) + (token ? " with token" : " without token"));
    }
  }
}

TEST_F(AdminAuthTest, TheRightTokenIsAcceptedWhateverTheSchemeCase) {
  start();
  for (const Route& route : kRoutes) {
    if (std::string(route.method) == "POST") continue;  // 404: job 1 does not exist
    const ClientResponse r = call(route, kToken);
    EXPECT_EQ(r.status, std::string(route.path) == "/api/v1/admin/jobs/1" ? 404 : 200)
        << route.path << " " << r.body;
    EXPECT_EQ(r.header("cache-control"), "no-store") << route.path;
  }
  EXPECT_EQ(call_with_header(kRoutes[0], "Authorization: bearer " + kToken).status, 200);
  EXPECT_EQ(call_with_header(kRoutes[0], "Authorization: BEARER   " + kToken + "  ").status, 200);
}

TEST_F(AdminAuthTest, TokensNeverAppearInTheLog) {
  start();
  const std::int64_t id = insert_job(job_row("dead", 5, "boom"));
  const std::string wrong = "wrong-token-5f3a9e77c1";
  log::init("trace", "json");
  testing::internal::CaptureStderr();
  const long ok_status = get("/api/v1/admin/jobs").status;
  const long wrong_status = get("/api/v1/admin/jobs", wrong).status;
  const long retry_status = post("/api/v1/admin/jobs/" + std::to_string(id) + "/retry").status;
  const long missing_status = get("/api/v1/admin/connectors", std::nullopt).status;
  const std::string err = testing::internal::GetCapturedStderr();
  log::init("warn", "text");
  EXPECT_EQ(ok_status, 200);
  EXPECT_EQ(wrong_status, 401);
  EXPECT_EQ(retry_status, 200);
  EXPECT_EQ(missing_status, 401);
  // The log was captured (the refusals and the retry are there) …
  EXPECT_NE(err.find("\"reason\":\"invalid token\""), std::string::npos) << err;
  EXPECT_NE(err.find("\"reason\":\"missing bearer token\""), std::string::npos) << err;
  EXPECT_NE(err.find("admin API: job requeued"), std::string::npos) << err;
  // … and holds neither token, whole or in part.
  EXPECT_EQ(err.find(kToken), std::string::npos) << err;
  EXPECT_EQ(err.find(kToken.substr(0, 12)), std::string::npos) << err;
  EXPECT_EQ(err.find(wrong), std::string::npos) << err;
  EXPECT_EQ(err.find("Bearer s3cret"), std::string::npos) << err;
}

}  // namespace
}  // namespace reos::admin_api::test
