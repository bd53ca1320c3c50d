// Tenant admin endpoints: users, memberships, API keys, connectors, tenants (operator token),
// each write leaving an audit entry.
#include <gtest/gtest.h>

#include "api_test_util.hpp"

namespace reos::test {
namespace {

using nlohmann::json;

class AdminRoutes : public ::testing::Test {
 protected:
  ApiHarness h{nullptr};
  std::string admin = h.token("alice@one.test");

  int audit_count(const std::string& action) {
    return std::stoi(sql_text(h, "SELECT count(*) FROM audit_log WHERE action = '" + action + "'"));
  }
};

TEST_F(AdminRoutes, CreateListAndGetUsers) {
  const ClientResponse created = h.call(
      "POST", "/api/v1/admin/users", admin,
      R"({"email":"erin@one.test","password":"a long enough password","display_name":"Erin","role":"agent"})");
  ASSERT_EQ(created.status, 201) << created.body;
  const json u = json_of(created);
  EXPECT_EQ(u["email"], "erin@one.test");
  EXPECT_EQ(u["role"], "agent");
  EXPECT_EQ(u["status"], "active");
  EXPECT_EQ(created.body.find("password"), std::string::npos);
  // The new user can log in at once.
  EXPECT_EQ(h.login("erin@one.test", "a long enough password").status, 200);

  const ClientResponse list = h.call("GET", "/api/v1/admin/users", admin);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(json_of(list)["items"].size(), 4u);  // alice, bob, carol, erin — not dave
  EXPECT_EQ(list.body.find("dave@two.test"), std::string::npos);
  EXPECT_EQ(h.call("GET", "/api/v1/admin/users/" + u["id"].get<std::string>(), admin).status, 200);

  EXPECT_EQ(h.call("POST", "/api/v1/admin/users", admin,
                   R"({"email":"ERIN@one.test","password":"another long password","role":"agent"})")
                .status,
            409);
  EXPECT_EQ(audit_count("user.create"), 1);
  EXPECT_EQ(sql_text(h, "SELECT actor_id FROM audit_log WHERE action = 'user.create'"),
            h.user_id("alice@one.test"));
}

TEST_F(AdminRoutes, NewUserNeedsAPasswordAndExistingUsersAreAddedWithout) {
  const ClientResponse r =
      h.call("POST", "/api/v1/admin/users", admin, R"({"email":"new@one.test","role":"agent"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(invalid_names(r), std::vector<std::string>{"password"});
  // Dave (t-two) joins t-one as a viewer; his password is untouched.
  const ClientResponse add = h.call("POST", "/api/v1/admin/memberships", admin,
                                    R"({"email":"dave@two.test","role":"viewer"})");
  ASSERT_EQ(add.status, 201) << add.body;
  EXPECT_EQ(h.login("dave@two.test", kHarnessPassword, "t-one").status, 200);
  EXPECT_EQ(h.call("POST", "/api/v1/admin/memberships", admin,
                   R"({"email":"dave@two.test","role":"viewer"})")
                .status,
            409);
  EXPECT_EQ(h.call("POST", "/api/v1/admin/memberships", admin,
                   R"({"email":"ghost@x.test","role":"viewer"})")
                .status,
            404);
}

TEST_F(AdminRoutes, ChangeRoleAndRemoveMembership) {
  const std::string bob = h.user_id("bob@one.test");
  const ClientResponse r =
      h.call("PATCH", "/api/v1/admin/memberships/" + bob, admin, R"({"role":"admin"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json_of(r)["role"], "admin");
  const json before =
      json::parse(sql_text(h, "SELECT before FROM audit_log WHERE action = 'membership.update'"));
  EXPECT_EQ(before["role"], "agent");
  EXPECT_EQ(h.call("DELETE", "/api/v1/admin/memberships/" + bob, admin).status, 204);
  EXPECT_EQ(h.call("GET", "/api/v1/admin/users/" + bob, admin).status, 404);
  EXPECT_EQ(h.login("bob@one.test", kHarnessPassword).status, 403);  // no tenant left
}

TEST_F(AdminRoutes, TheLastAdminCannotLeaveOrStepDown) {
  const std::string alice = h.user_id("alice@one.test");
  EXPECT_EQ(
      h.call("PATCH", "/api/v1/admin/memberships/" + alice, admin, R"({"role":"agent"})").status,
      409);
  EXPECT_EQ(h.call("PATCH", "/api/v1/admin/memberships/" + alice, admin, R"({"status":"disabled"})")
                .status,
            409);
  EXPECT_EQ(h.call("DELETE", "/api/v1/admin/memberships/" + alice, admin).status, 409);
  EXPECT_EQ(h.call("PATCH", "/api/v1/admin/memberships/" + alice, admin, R"({})").status, 400);
}

TEST_F(AdminRoutes, ApiKeysAreShownOnceStoredHashedAndRevocable) {
  const ClientResponse created =
      h.call("POST", "/api/v1/admin/api-keys", admin,
             R"({"name":"crm sync","scopes":["admin:read"],"role":"admin"})");
  ASSERT_EQ(created.status, 201) << created.body;
  const json k = json_of(created);
  const std::string key = k["key"];
  EXPECT_EQ(key.rfind(k["prefix"].get<std::string>() + "_", 0), 0u);
  const std::string secret = key.substr(k["prefix"].get<std::string>().size() + 1);
  EXPECT_EQ(sql_text(h, "SELECT count(*) FROM api_keys WHERE encode(key_hash, 'hex') LIKE '%" +
                            secret + "%'"),
            "0");

  EXPECT_EQ(h.call("GET", "/api/v1/admin/users", key).status, 200);
  EXPECT_FALSE(sql_text(h, "SELECT last_used_at FROM api_keys WHERE id = '" +
                               k["id"].get<std::string>() + "'")
                   .empty());

  const ClientResponse list = h.call("GET", "/api/v1/admin/api-keys", admin);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.body.find(secret), std::string::npos);
  EXPECT_EQ(json_of(list)["items"][0]["name"], "crm sync");
  // Another tenant neither sees nor revokes it.
  const std::string dave = h.token("dave@two.test");
  EXPECT_EQ(json_of(h.call("GET", "/api/v1/admin/api-keys", dave))["items"].size(), 0u);
  EXPECT_EQ(h.call("DELETE", "/api/v1/admin/api-keys/" + k["id"].get<std::string>(), dave).status,
            404);

  EXPECT_EQ(h.call("DELETE", "/api/v1/admin/api-keys/" + k["id"].get<std::string>(), admin).status,
            204);
  EXPECT_EQ(h.call("GET", "/api/v1/admin/users", key).status, 401);
  EXPECT_EQ(h.call("DELETE", "/api/v1/admin/api-keys/" + k["id"].get<std::string>(), admin).status,
            204);
  EXPECT_EQ(audit_count("api_key.revoke"), 1);
}

TEST_F(AdminRoutes, ExpiredKeysFailAndKeysCannotOutrankTheirCreator) {
  const ClientResponse expired =
      h.call("POST", "/api/v1/admin/api-keys", admin,
             R"({"name":"old","scopes":["*"],"expires_at":"2020-01-01T00:00:00Z"})");
  ASSERT_EQ(expired.status, 201) << expired.body;
  EXPECT_EQ(h.call("GET", "/api/v1/auth/me", json_of(expired)["key"]).status, 401);
  const ClientResponse bad_date =
      h.call("POST", "/api/v1/admin/api-keys", admin,
             R"({"name":"x","scopes":["*"],"expires_at":"2026-02-30T00:00:00Z"})");
  EXPECT_EQ(bad_date.status, 400) << bad_date.body;
  EXPECT_EQ(invalid_names(bad_date), std::vector<std::string>{"expires_at"});
  // An admin-role key holding only admin:write creates keys, but an agent-role key could not.
  const std::string writer = h.api_key("t-one", {"admin:write"}, "admin");
  EXPECT_EQ(h.call("POST", "/api/v1/admin/api-keys", writer,
                   R"({"name":"k","scopes":["*"],"role":"agent"})")
                .status,
            201);
}

TEST_F(AdminRoutes, ConnectorsCanBeSwitchedOffAndOnForTheTenant) {
  sql_text(h,
           "INSERT INTO connectors (tenant_id, id, plugin, settings_ref) VALUES"
           " ('t-one', 'mls-main', 'rets', 'x#connectors.mls-main'),"
           " ('t-two', 'mls-two', 'rets', 'y#connectors.mls-two')");
  const ClientResponse list = h.call("GET", "/api/v1/connectors", admin);
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_EQ(json_of(list)["items"].size(), 1u);
  EXPECT_EQ(json_of(list)["items"][0]["id"], "mls-main");
  const ClientResponse off =
      h.call("PATCH", "/api/v1/connectors/mls-main", admin, R"({"enabled":false})");
  ASSERT_EQ(off.status, 200) << off.body;
  EXPECT_EQ(json_of(off)["enabled"], false);
  EXPECT_EQ(json_of(off)["status"], "disabled");
  EXPECT_EQ(json_of(h.call("PATCH", "/api/v1/connectors/mls-main", admin,
                           R"({"enabled":true})"))["status"],
            "idle");
  EXPECT_EQ(h.call("PATCH", "/api/v1/connectors/mls-two", admin, R"({"enabled":false})").status,
            404);
  EXPECT_EQ(h.call("PATCH", "/api/v1/connectors/mls-main", admin, R"({"enabled":"no"})").status,
            400);
  EXPECT_EQ(h.call("GET", "/api/v1/connectors", h.token("bob@one.test")).status, 403);
  EXPECT_EQ(audit_count("connector.disable"), 1);
  EXPECT_EQ(audit_count("connector.enable"), 1);
}

TEST_F(AdminRoutes, TenantsAreCreatedWithTheOperatorTokenOnly) {
  const std::string body =
      R"({"id":"t-three","name":"Three","admin":{"email":"zoe@three.test","password":"zoe's long password"}})";
  EXPECT_EQ(h.call("POST", "/api/v1/admin/tenants", admin, body).status,
            401);  // a user token is not it
  EXPECT_EQ(h.call("POST", "/api/v1/admin/tenants", "", body).status, 401);
  const ClientResponse r =
      h.call("POST", "/api/v1/admin/tenants", "operator-token-for-the-api-tests", body);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(json_of(r)["admin"]["role"], "admin");
  const ClientResponse login = h.login("zoe@three.test", "zoe's long password");
  ASSERT_EQ(login.status, 200);
  EXPECT_EQ(json_of(login)["tenant"], "t-three");
  EXPECT_EQ(
      h.call("POST", "/api/v1/admin/tenants", "operator-token-for-the-api-tests", body).status,
      409);
  EXPECT_EQ(
      sql_text(
          h, "SELECT actor_type || ':' || actor_id FROM audit_log WHERE action = 'tenant.create'"),
      "system:operator");
  const ClientResponse invalid =
      h.call("POST", "/api/v1/admin/tenants", "operator-token-for-the-api-tests",
             R"({"id":"-bad","name":""})");
  EXPECT_EQ(invalid.status, 400);
  EXPECT_EQ(invalid_names(invalid), (std::vector<std::string>{"admin", "id", "name"}))
      << invalid.body;
}

}  // namespace
}  // namespace reos::test
