// Rate limits (429 + Retry-After) and Idempotency-Key through the route wrapper.
#include <gtest/gtest.h>

#include "api_test_util.hpp"

namespace reos::test {
namespace {

using nlohmann::json;

TEST(ApiLimits, PerKeyBucketAnswers429WithRetryAfter) {
  ApiHarnessOptions o;
  o.limits = {1, 3, 1000, 1000, 1000, 1000};  // 3 requests at once per key, then 1/s
  ApiHarness h(nullptr, o);
  const std::string key = h.api_key("t-one", {"*"}, "admin");
  int ok = 0;
  ClientResponse last;
  for (int i = 0; i < 6; ++i) {
    last = h.call("GET", "/api/v1/admin/users", key);
    if (last.status == 200) ++ok;
  }
  EXPECT_LE(ok, 4);
  EXPECT_GE(ok, 3);
  ASSERT_EQ(last.status, 429);
  EXPECT_EQ(last.header("content-type"), "application/problem+json");
  EXPECT_GE(std::stoi(last.header("retry-after")), 1);
  // Another key of the same tenant has its own bucket.
  EXPECT_EQ(h.call("GET", "/api/v1/admin/users", h.api_key("t-one", {"*"}, "admin")).status, 200);
}

TEST(ApiLimits, PublicRoutesAreLimitedPerAddress) {
  ApiHarnessOptions o;
  o.limits = {1000, 1000, 1000, 1000, 0.5, 2};
  ApiHarness h(nullptr, o);
  h.call("POST", "/api/v1/auth/logout", "", R"({"refresh_token":"rt_x"})");
  h.call("POST", "/api/v1/auth/logout", "", R"({"refresh_token":"rt_x"})");
  const ClientResponse r =
      h.call("POST", "/api/v1/auth/login", "", R"({"email":"a@b.c","password":"x"})");
  EXPECT_EQ(r.status, 429);
  EXPECT_FALSE(r.header("retry-after").empty());
}

TEST(ApiIdempotency, APostWithTheSameKeyRunsOnce) {
  ApiHarness h(nullptr);
  const std::string admin = h.token("alice@one.test");
  const std::string body = R"({"name":"once","scopes":["contacts:read"]})";
  const ClientResponse a =
      h.call("POST", "/api/v1/admin/api-keys", admin, body, {"Idempotency-Key: key-1"});
  ASSERT_EQ(a.status, 201) << a.body;
  const ClientResponse b =
      h.call("POST", "/api/v1/admin/api-keys", admin, body, {"Idempotency-Key: key-1"});
  EXPECT_EQ(b.status, 201);
  EXPECT_EQ(a.body, b.body);
  EXPECT_EQ(b.header("idempotent-replayed"), "true");
  EXPECT_EQ(sql_text(h, "SELECT count(*) FROM api_keys WHERE name = 'once'"), "1");
  const ClientResponse other =
      h.call("POST", "/api/v1/admin/api-keys", admin,
             R"({"name":"twice","scopes":["contacts:read"]})", {"Idempotency-Key: key-1"});
  EXPECT_EQ(other.status, 422);
}

}  // namespace
}  // namespace reos::test
