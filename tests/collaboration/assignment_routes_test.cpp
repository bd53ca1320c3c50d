// Assignments over real HTTP: assign, one current assignee, reassign keeps history,
// accept/done rules, audit rows and workflow events, validation shapes.

#include "collaboration_fixture.hpp"

namespace reos::collaboration::testing {
namespace {

class AssignmentRoutes : public CollaborationTest {
 protected:
  test::ClientResponse assign(const std::string& contact, const std::string& email,
                              const std::string& token) {
    return post(
        "/api/v1/assignments", token,
        {{"entity_type", "contact"}, {"entity_id", contact}, {"assignee_id", id_of(email)}});
  }
};

TEST_F(AssignmentRoutes, AssignCreatesAnActiveAssignmentWithAuditAndEvent) {
  const std::string contact = new_contact();
  auto r = post("/api/v1/assignments", alice_,
                {{"entity_type", "contact"},
                 {"entity_id", contact},
                 {"assignee_id", id_of("bob@one.test")},
                 {"note", "call them today"}});
  ASSERT_EQ(r.status, 201) << r.body;
  Json a = json(r);
  EXPECT_EQ(a["state"], "active");
  EXPECT_EQ(a["entity_id"], contact);
  EXPECT_EQ(a["assignee_id"], id_of("bob@one.test"));
  EXPECT_EQ(a["assigned_by"], id_of("alice@one.test"));
  EXPECT_EQ(a["note"], "call them today");
  EXPECT_EQ(r.header("location"), "/api/v1/assignments/" + a["id"].get<std::string>());
  const std::string id = a["id"];
  EXPECT_EQ(
      count("SELECT count(*) FROM audit_log WHERE action = 'assignment.assign' AND entity_id = '" +
            id + "' AND actor_id = '" + id_of("alice@one.test") + "' AND tenant_id = 't-one'"),
      1);
  EXPECT_EQ(
      count("SELECT count(*) FROM jobs WHERE kind = 'assignment.created' AND tenant_id = 't-one'"
            " AND payload->'assignment'->>'id' = '" +
            id + "'"),
      1);
}

TEST_F(AssignmentRoutes, ReassignClosesTheCurrentOneAndKeepsHistory) {
  const std::string contact = new_contact();
  ASSERT_EQ(assign(contact, "bob@one.test", alice_).status, 201);
  auto second = assign(contact, "alice@one.test", bob_);
  ASSERT_EQ(second.status, 201) << second.body;
  auto list = get("/api/v1/assignments?entity_type=contact&entity_id=" + contact, alice_);
  ASSERT_EQ(list.status, 200) << list.body;
  Json items = json(list)["items"];
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0]["assignee_id"], id_of("alice@one.test"));  // newest first
  EXPECT_EQ(items[0]["state"], "active");
  EXPECT_EQ(items[1]["assignee_id"], id_of("bob@one.test"));
  EXPECT_EQ(items[1]["state"], "reassigned");
  EXPECT_FALSE(items[1]["ended_at"].is_null());
  EXPECT_EQ(
      count(
          "SELECT count(*) FROM audit_log WHERE action = 'assignment.reassign' AND entity_id = '" +
          items[0]["id"].get<std::string>() + "'"),
      1);
  EXPECT_EQ(json(second)["id"], items[0]["id"]);
  auto current = get("/api/v1/assignments?state=active&entity_id=" + contact, alice_);
  EXPECT_EQ(json(current)["items"].size(), 1u);
}

TEST_F(AssignmentRoutes, SameAssigneeAgainIs409) {
  const std::string contact = new_contact();
  ASSERT_EQ(assign(contact, "bob@one.test", alice_).status, 201);
  EXPECT_EQ(assign(contact, "bob@one.test", alice_).status, 409);
}

TEST_F(AssignmentRoutes, DatabaseAllowsOnlyOneCurrentAssigneePerEntity) {
  const std::string contact = new_contact();
  ASSERT_EQ(assign(contact, "bob@one.test", alice_).status, 201);
  EXPECT_THROW(scalar("INSERT INTO assignments (tenant_id, entity_type, entity_id, assignee_id,"
                      " assigned_by) VALUES ('t-one', 'contact', '" +
                      contact + "', '" + id_of("alice@one.test") + "', 'x')"),
               pqxx::unique_violation);
}

TEST_F(AssignmentRoutes, ConcurrentReassignmentsLeaveExactlyOneCurrent) {
  const std::string contact = new_contact();
  std::vector<std::thread> threads;
  std::atomic<int> created{0};
  for (int i = 0; i < 6; ++i)
    threads.emplace_back([&, i] {
      auto r = assign(contact, i % 2 ? "bob@one.test" : "alice@one.test", alice_);
      if (r.status == 201) ++created;
    });
  for (auto& t : threads) t.join();
  EXPECT_GE(created.load(), 1);
  EXPECT_EQ(count("SELECT count(*) FROM assignments WHERE entity_id = '" + contact +
                  "' AND state IN ('active', 'accepted')"),
            1);
  EXPECT_EQ(count("SELECT count(*) FROM assignments WHERE entity_id = '" + contact + "'"),
            created.load());
}

TEST_F(AssignmentRoutes, AssigneeAcceptsThenMarksDone) {
  const std::string contact = new_contact();
  const std::string id = json(assign(contact, "bob@one.test", alice_))["id"];
  EXPECT_EQ(post("/api/v1/assignments/" + id + "/accept", alice_, nullptr).status, 403);
  auto accepted = post("/api/v1/assignments/" + id + "/accept", bob_, nullptr);
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  EXPECT_EQ(json(accepted)["state"], "accepted");
  EXPECT_FALSE(json(accepted)["accepted_at"].is_null());
  EXPECT_EQ(post("/api/v1/assignments/" + id + "/accept", bob_, nullptr).status, 409);
  auto done = post("/api/v1/assignments/" + id + "/done", bob_, nullptr);
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(json(done)["state"], "done");
  EXPECT_EQ(post("/api/v1/assignments/" + id + "/done", bob_, nullptr).status, 409);
  for (const char* kind : {"assignment.accepted", "assignment.done"})
    EXPECT_EQ(count(std::string("SELECT count(*) FROM jobs WHERE kind = '") + kind +
                    "' AND payload->'assignment'->>'id' = '" + id + "'"),
              1)
        << kind;
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE entity_id = '" + id +
                  "' AND action IN ('assignment.accept', 'assignment.done')"),
            2);
  // Done ends it: the entity may be assigned again.
  EXPECT_EQ(assign(contact, "bob@one.test", alice_).status, 201);
}

TEST_F(AssignmentRoutes, AdminMayMarkDoneButAnotherAgentMayNot) {
  const std::string contact = new_contact();
  const std::string id = json(assign(contact, "alice@one.test", alice_))["id"];
  EXPECT_EQ(post("/api/v1/assignments/" + id + "/done", bob_, nullptr).status, 403);
  const std::string other = json(assign(new_contact(), "bob@one.test", alice_))["id"];
  EXPECT_EQ(post("/api/v1/assignments/" + other + "/done", alice_, nullptr).status, 200);
}

TEST_F(AssignmentRoutes, DatabaseRefusesLeavingAFinalState) {
  const std::string contact = new_contact();
  const std::string id = json(assign(contact, "bob@one.test", alice_))["id"];
  ASSERT_EQ(post("/api/v1/assignments/" + id + "/done", bob_, nullptr).status, 200);
  try {
    scalar("UPDATE assignments SET state = 'active' WHERE id = '" + id + "'");
    FAIL() << "the trigger should refuse done → active";
  } catch (const pqxx::sql_error& e) {
    EXPECT_EQ(e.sqlstate(), "RE409");
  }
}

TEST_F(AssignmentRoutes, ViewersCannotAssignNorBeAssigned) {
  const std::string contact = new_contact();
  EXPECT_EQ(assign(contact, "bob@one.test", carol_).status, 403);
  auto r = assign(contact, "carol@one.test", alice_);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(json(r)["invalid_params"][0]["name"], "assignee_id");
  // ... but may read.
  EXPECT_EQ(get("/api/v1/assignments?entity_id=" + contact, carol_).status, 200);
}

TEST_F(AssignmentRoutes, InvalidBodiesListEveryBadField) {
  auto r = post("/api/v1/assignments", alice_, {{"entity_type", "house"}, {"assignee_id", 5}});
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.header("content-type"), "application/problem+json");
  std::set<std::string> names;
  const Json problem = json(r);
  for (const auto& p : problem["invalid_params"]) names.insert(p["name"].get<std::string>());
  EXPECT_TRUE(names.count("entity_type")) << r.body;
  EXPECT_TRUE(names.count("assignee_id")) << r.body;
  auto bad_id = post("/api/v1/assignments", alice_,
                     {{"entity_type", "contact"},
                      {"entity_id", "not-a-uuid"},
                      {"assignee_id", id_of("bob@one.test")}});
  EXPECT_EQ(bad_id.status, 400);
  EXPECT_EQ(json(bad_id)["invalid_params"][0]["name"], "entity_id");
  auto bad_query = get("/api/v1/assignments?state=lost&limit=0&nope=1", alice_);
  EXPECT_EQ(bad_query.status, 400);
  EXPECT_EQ(json(bad_query)["invalid_params"].size(), 3u) << bad_query.body;
}

TEST_F(AssignmentRoutes, UnknownEntityIs404) {
  auto r = post("/api/v1/assignments", alice_,
                {{"entity_type", "contact"},
                 {"entity_id", "00000000-0000-4000-8000-000000000000"},
                 {"assignee_id", id_of("bob@one.test")}});
  EXPECT_EQ(r.status, 404) << r.body;
  EXPECT_EQ(
      post("/api/v1/assignments/00000000-0000-4000-8000-000000000000/accept", bob_, nullptr).status,
      404);
  EXPECT_EQ(post("/api/v1/assignments/xyz/accept", bob_, nullptr).status, 404);
}

TEST_F(AssignmentRoutes, AssigneeMeFilter) {
  const std::string contact = new_contact();
  ASSERT_EQ(assign(contact, "bob@one.test", alice_).status, 201);
  Json mine = json(get("/api/v1/assignments?assignee=me&entity_id=" + contact, bob_))["items"];
  EXPECT_EQ(mine.size(), 1u);
  Json theirs = json(get("/api/v1/assignments?assignee=me&entity_id=" + contact, alice_))["items"];
  EXPECT_EQ(theirs.size(), 0u);
}

}  // namespace
}  // namespace reos::collaboration::testing
