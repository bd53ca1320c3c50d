// GET /api/v1/inbox: current assignments, approvals the user may decide, and mentions.

#include "collaboration_fixture.hpp"

namespace reos::collaboration::testing {
namespace {

class Inbox : public CollaborationTest {
 protected:
  static std::set<std::string> ids(const Json& items, const char* field = "id") {
    std::set<std::string> out;
    for (const auto& i : items) out.insert(i[field].get<std::string>());
    return out;
  }
};

TEST_F(Inbox, ShowsCurrentAssignmentsApprovalsToDecideAndMentions) {
  // Bob: one active assignment, one that is done (not shown), one reassigned away (not shown).
  const std::string current = json(post("/api/v1/assignments", alice_,
                                        {{"entity_type", "contact"},
                                         {"entity_id", new_contact()},
                                         {"assignee_id", id_of("bob@one.test")}}))["id"];
  const std::string finished = json(post("/api/v1/assignments", alice_,
                                         {{"entity_type", "contact"},
                                          {"entity_id", new_contact()},
                                          {"assignee_id", id_of("bob@one.test")}}))["id"];
  ASSERT_EQ(post("/api/v1/assignments/" + finished + "/done", bob_, nullptr).status, 200);
  const std::string moved_contact = new_contact();
  const std::string moved = json(post("/api/v1/assignments", alice_,
                                      {{"entity_type", "contact"},
                                       {"entity_id", moved_contact},
                                       {"assignee_id", id_of("bob@one.test")}}))["id"];
  ASSERT_EQ(post("/api/v1/assignments", alice_,
                 {{"entity_type", "contact"},
                  {"entity_id", moved_contact},
                  {"assignee_id", id_of("alice@one.test")}})
                .status,
            201);
  // Approvals: one naming Bob (shown to Bob), one naming nobody (shown to admins, not Bob).
  const std::string for_bob = json(post("/api/v1/approvals", alice_,
                                        {{"entity_type", "contact"},
                                         {"entity_id", new_contact()},
                                         {"approver_id", id_of("bob@one.test")}}))["id"];
  const std::string for_admins = json(post(
      "/api/v1/approvals", bob_, {{"entity_type", "contact"}, {"entity_id", new_contact()}}))["id"];
  // A note mentioning Bob (written directly: the notes routes are not under test here).
  const std::string contact = new_contact();
  const std::string note = scalar(
      "INSERT INTO notes (tenant_id, contact_id, body, author_user_id) VALUES"
      " ('t-one', '" +
      contact + "', 'ping @bob about the offer', '" + id_of("alice@one.test") +
      "') RETURNING id::text");
  scalar("INSERT INTO note_mentions (tenant_id, note_id, user_id) VALUES ('t-one', '" + note +
         "', '" + id_of("bob@one.test") + "') RETURNING note_id");

  auto r = get("/api/v1/inbox?limit=200", bob_);
  ASSERT_EQ(r.status, 200) << r.body;
  Json inbox = json(r);
  auto assigned = ids(inbox["assignments"]);
  EXPECT_TRUE(assigned.count(current));
  EXPECT_FALSE(assigned.count(finished));
  EXPECT_FALSE(assigned.count(moved));
  auto approvals = ids(inbox["approvals"]);
  EXPECT_TRUE(approvals.count(for_bob));
  EXPECT_FALSE(approvals.count(for_admins));  // Bob is no admin, and it is his own request
  auto mentions = ids(inbox["mentions"], "note_id");
  EXPECT_TRUE(mentions.count(note));
  for (const auto& m : inbox["mentions"])
    if (m["note_id"] == note) {
      EXPECT_EQ(m["contact_id"], contact);
      EXPECT_EQ(m["excerpt"], "ping @bob about the offer");
    }

  Json alice = json(get("/api/v1/inbox?limit=200", alice_));
  EXPECT_TRUE(ids(alice["approvals"]).count(for_admins));
  EXPECT_FALSE(ids(alice["approvals"]).count(for_bob));  // named for Bob
  EXPECT_TRUE(ids(alice["mentions"], "note_id").empty() ||
              !ids(alice["mentions"], "note_id").count(note));

  // Deciding takes it out of the inbox.
  ASSERT_EQ(post("/api/v1/approvals/" + for_bob + "/approve", bob_, nullptr).status, 200);
  EXPECT_FALSE(ids(json(get("/api/v1/inbox?limit=200", bob_))["approvals"]).count(for_bob));
}

TEST_F(Inbox, OtherTenantSeesNothingOfOurs) {
  ASSERT_EQ(post("/api/v1/assignments", alice_,
                 {{"entity_type", "contact"},
                  {"entity_id", new_contact()},
                  {"assignee_id", id_of("alice@one.test")}})
                .status,
            201);
  Json dave = json(get("/api/v1/inbox", dave_));
  EXPECT_TRUE(dave["assignments"].empty());
  EXPECT_TRUE(dave["approvals"].empty());
  EXPECT_TRUE(dave["mentions"].empty());
}

TEST_F(Inbox, ApiKeysHaveNoInbox) {
  const std::string key = h().api_key("t-one", {"*"});
  EXPECT_EQ(h().call("GET", "/api/v1/inbox", "", "", {"X-Api-Key: " + key}).status, 403);
}

TEST_F(Inbox, LimitIsValidated) {
  auto r = get("/api/v1/inbox?limit=1000", bob_);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(json(r)["invalid_params"][0]["name"], "query.limit");
}

}  // namespace
}  // namespace reos::collaboration::testing
