// The framework's error contract (docs/api.md "Errors"): problem+json everywhere, every
// invalid field listed, malformed and too-deep JSON refused, 401 vs 403, 404 across tenants.
#include <gtest/gtest.h>

#include "api/json_body.hpp"
#include "api_test_util.hpp"

namespace reos::test {
namespace {

using nlohmann::json;

class ProblemShapes : public ::testing::Test {
 protected:
  ApiHarness h{nullptr};
  std::string admin = h.token("alice@one.test");
};

TEST_F(ProblemShapes, EveryInvalidFieldIsListed) {
  const ClientResponse r =
      h.call("POST", "/api/v1/admin/users", admin,
             R"({"email":"not-an-email","role":"boss","password":"short","nickname":"x"})");
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.header("content-type"), "application/problem+json");
  const json b = json_of(r);
  EXPECT_EQ(b["status"], 400);
  EXPECT_EQ(b["instance"], "/api/v1/admin/users");
  const std::vector<std::string> names = invalid_names(r);
  for (const char* field : {"email", "role", "password"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), field), names.end())
        << field << " in " << r.body;
  }
  // The unknown key is reported too (named at the object holding it or at the key).
  EXPECT_NE(r.body.find("nickname"), std::string::npos) << r.body;
  // The password's value never appears in an error.
  EXPECT_EQ(r.body.find("\"short\""), std::string::npos) << r.body;
  EXPECT_FALSE(r.header("x-request-id").empty());
}

TEST_F(ProblemShapes, NestedFieldsAreNamedByJsonPointer) {
  const ClientResponse r = h.call("POST", "/api/v1/admin/api-keys", admin,
                                  R"({"name":"k","scopes":["contacts:read","bad scope",7]})");
  ASSERT_EQ(r.status, 400) << r.body;
  const std::vector<std::string> names = invalid_names(r);
  EXPECT_NE(std::find(names.begin(), names.end(), "scopes/1"), names.end()) << r.body;
  EXPECT_NE(std::find(names.begin(), names.end(), "scopes/2"), names.end()) << r.body;
}

TEST_F(ProblemShapes, MissingRequiredFieldsAreListed) {
  const ClientResponse r = h.call("POST", "/api/v1/admin/users", admin, "{}");
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("email"), std::string::npos);
  EXPECT_NE(r.body.find("role"), std::string::npos);
}

TEST_F(ProblemShapes, MalformedAndTooDeepJson) {
  const ClientResponse bad = h.call("POST", "/api/v1/admin/users", admin, R"({"email": )");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(json_of(bad)["title"], "Malformed JSON");
  std::string deep;
  for (int i = 0; i < 40; ++i) deep += "[";
  for (int i = 0; i < 40; ++i) deep += "]";
  const ClientResponse too_deep = h.call("POST", "/api/v1/admin/users", admin, deep);
  EXPECT_EQ(too_deep.status, 400);
  EXPECT_NE(json_of(too_deep)["detail"].get<std::string>().find("deeper"), std::string::npos);
  // Also refused on public routes, before anything parses it.
  EXPECT_EQ(h.call("POST", "/api/v1/auth/login", "", deep).status, 400);
}

TEST_F(ProblemShapes, UnauthenticatedIs401ForbiddenIs403) {
  EXPECT_EQ(h.call("GET", "/api/v1/admin/users", "").status, 401);
  const ClientResponse viewer = h.call("GET", "/api/v1/admin/users", h.token("carol@one.test"));
  EXPECT_EQ(viewer.status, 403);
  EXPECT_EQ(viewer.header("content-type"), "application/problem+json");
  EXPECT_EQ(h.call("GET", "/api/v1/admin/users", h.token("bob@one.test")).status, 403);
}

TEST_F(ProblemShapes, AnIdFromAnotherTenantIs404) {
  const std::string dave = h.user_id("dave@two.test");
  EXPECT_EQ(h.call("GET", "/api/v1/admin/users/" + dave, admin).status, 404);
  EXPECT_EQ(
      h.call("PATCH", "/api/v1/admin/memberships/" + dave, admin, R"({"role":"viewer"})").status,
      404);
  EXPECT_EQ(h.call("DELETE", "/api/v1/admin/memberships/" + dave, admin).status, 404);
  EXPECT_EQ(h.call("GET", "/api/v1/admin/users/not-a-uuid", admin).status, 404);
  EXPECT_EQ(sql_text(h, "SELECT role FROM tenant_memberships WHERE user_id = '" + dave + "'"),
            "admin");
}

TEST(JsonDepth, CountsNestingOutsideStrings) {
  EXPECT_EQ(api::json_nesting_depth(R"({"a":[1,{"b":2}]})"), 3u);
  EXPECT_EQ(api::json_nesting_depth(R"({"a":"[[[[\"[["})"), 1u);
  EXPECT_EQ(api::json_nesting_depth("42"), 0u);
}

}  // namespace
}  // namespace reos::test
