// Isolation between two tenants on every collaboration route: ids from the other tenant are
// 404, listings never show them, entities of the other tenant cannot be referenced.

#include "collaboration_fixture.hpp"

namespace reos::collaboration::testing {
namespace {

class TenantIsolation : public CollaborationTest {};

TEST_F(TenantIsolation, OtherTenantsIdsAre404Everywhere) {
  const std::string assignment = json(post("/api/v1/assignments", alice_,
                                           {{"entity_type", "contact"},
                                            {"entity_id", new_contact()},
                                            {"assignee_id", id_of("bob@one.test")}}))["id"];
  const std::string approval = json(post(
      "/api/v1/approvals", bob_, {{"entity_type", "contact"}, {"entity_id", new_contact()}}))["id"];
  ASSERT_FALSE(assignment.empty());
  ASSERT_FALSE(approval.empty());

  EXPECT_EQ(post("/api/v1/assignments/" + assignment + "/accept", dave_, nullptr).status, 404);
  EXPECT_EQ(post("/api/v1/assignments/" + assignment + "/done", dave_, nullptr).status, 404);
  EXPECT_EQ(get("/api/v1/approvals/" + approval, dave_).status, 404);
  for (const char* verb : {"approve", "cancel"})
    EXPECT_EQ(post("/api/v1/approvals/" + approval + "/" + verb, dave_, nullptr).status, 404)
        << verb;
  EXPECT_EQ(post("/api/v1/approvals/" + approval + "/reject", dave_, {{"note", "x"}}).status, 404);

  EXPECT_TRUE(json(get("/api/v1/assignments?limit=200", dave_))["items"].empty());
  EXPECT_TRUE(json(get("/api/v1/approvals?limit=200", dave_))["items"].empty());
  // Untouched by the attempts.
  EXPECT_EQ(scalar("SELECT state FROM assignments WHERE id = '" + assignment + "'"), "active");
  EXPECT_EQ(scalar("SELECT status FROM approvals WHERE id = '" + approval + "'"), "pending");
}

TEST_F(TenantIsolation, EntitiesOfAnotherTenantCannotBeReferenced) {
  const std::string theirs = new_contact("t-two");
  auto a = post(
      "/api/v1/assignments", alice_,
      {{"entity_type", "contact"}, {"entity_id", theirs}, {"assignee_id", id_of("bob@one.test")}});
  EXPECT_EQ(a.status, 404) << a.body;
  auto p = post("/api/v1/approvals", alice_, {{"entity_type", "contact"}, {"entity_id", theirs}});
  EXPECT_EQ(p.status, 404) << p.body;
  // And users of another tenant cannot be assigned.
  auto u = post("/api/v1/assignments", alice_,
                {{"entity_type", "contact"},
                 {"entity_id", new_contact()},
                 {"assignee_id", id_of("dave@two.test")}});
  EXPECT_EQ(u.status, 400) << u.body;
}

TEST_F(TenantIsolation, RowLevelSecurityHidesOtherTenantsRows) {
  ASSERT_EQ(post("/api/v1/approvals", dave_,
                 {{"entity_type", "contact"}, {"entity_id", new_contact("t-two")}})
                .status,
            201);
  pqxx::connection c(h().conninfo());
  pqxx::work tx(c);
  tx.exec("SET LOCAL ROLE reos_app");
  tx.exec("SELECT set_config('reos.tenant_id', 't-one', true)");
  EXPECT_EQ(tx.exec("SELECT count(*) FROM approvals WHERE tenant_id = 't-two'")[0][0].as<int>(), 0);
  EXPECT_EQ(tx.exec("SELECT count(*) FROM assignments WHERE tenant_id = 't-two'")[0][0].as<int>(),
            0);
  EXPECT_EQ(
      tx.exec("SELECT count(*) FROM idempotency_keys WHERE tenant_id = 't-two'")[0][0].as<int>(),
      0);
  EXPECT_THROW(tx.exec("INSERT INTO approvals (tenant_id, entity_type, entity_id, requested_by,"
                       " requester_type) VALUES ('t-two', 'contact', 'x', 'y', 'user')"),
               pqxx::sql_error);
}

}  // namespace
}  // namespace reos::collaboration::testing
