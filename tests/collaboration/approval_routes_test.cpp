// Approvals over real HTTP: request, who may decide, approve/reject/cancel, the state machine
// in the database, audit rows and workflow events.

#include "collaboration_fixture.hpp"

namespace reos::collaboration::testing {
namespace {

class ApprovalRoutes : public CollaborationTest {
 protected:
  // A pending approval of a new contact, requested by `token`; "" approver = any admin.
  std::string request_review(const std::string& token, const std::string& approver_email = "") {
    Json body = {
        {"entity_type", "contact"}, {"entity_id", new_contact()}, {"note", "please check"}};
    if (!approver_email.empty()) body["approver_id"] = id_of(approver_email);
    auto r = post("/api/v1/approvals", token, body);
    EXPECT_EQ(r.status, 201) << r.body;
    return json(r).value("id", "");
  }
  std::string path(const std::string& id, const std::string& verb = "") {
    return "/api/v1/approvals/" + id + (verb.empty() ? "" : "/" + verb);
  }
};

TEST_F(ApprovalRoutes, RequestIsPendingWithAuditAndEvent) {
  const std::string contact = new_contact();
  auto r = post("/api/v1/approvals", bob_,
                {{"entity_type", "contact"}, {"entity_id", contact}, {"note", "discount ok?"}});
  ASSERT_EQ(r.status, 201) << r.body;
  Json a = json(r);
  EXPECT_EQ(a["status"], "pending");
  EXPECT_EQ(a["requested_by"], id_of("bob@one.test"));
  EXPECT_EQ(a["requester_type"], "user");
  EXPECT_TRUE(a["approver_id"].is_null());
  EXPECT_EQ(a["request_note"], "discount ok?");
  EXPECT_EQ(r.header("location"), path(a["id"]));
  auto fetched = get(path(a["id"]), carol_);
  ASSERT_EQ(fetched.status, 200);
  EXPECT_EQ(json(fetched), a);
  EXPECT_EQ(
      count("SELECT count(*) FROM audit_log WHERE action = 'approval.request' AND entity_id = '" +
            a["id"].get<std::string>() + "'"),
      1);
  EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE kind = 'approval.requested'"
                  " AND payload->'approval'->>'id' = '" +
                  a["id"].get<std::string>() + "'"),
            1);
}

TEST_F(ApprovalRoutes, OnlyOnePendingApprovalPerEntity) {
  const std::string contact = new_contact();
  Json body = {{"entity_type", "contact"}, {"entity_id", contact}};
  ASSERT_EQ(post("/api/v1/approvals", bob_, body).status, 201);
  EXPECT_EQ(post("/api/v1/approvals", bob_, body).status, 409);
}

TEST_F(ApprovalRoutes, AdminApprovesWhenNoApproverIsNamed) {
  const std::string id = request_review(bob_);
  auto r = post(path(id, "approve"), alice_, {{"note", "fine"}});
  ASSERT_EQ(r.status, 200) << r.body;
  Json a = json(r);
  EXPECT_EQ(a["status"], "approved");
  EXPECT_EQ(a["decided_by"], id_of("alice@one.test"));
  EXPECT_EQ(a["decision_note"], "fine");
  EXPECT_FALSE(a["decided_at"].is_null());
  EXPECT_EQ(
      count("SELECT count(*) FROM audit_log WHERE action = 'approval.approve' AND entity_id = '" +
            id + "' AND before->>'status' = 'pending' AND after->>'status' = 'approved'"),
      1);
  EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE kind = 'approval.approved'"
                  " AND payload->'approval'->>'id' = '" +
                  id + "'"),
            1);
  // Final: nothing moves it any more.
  EXPECT_EQ(post(path(id, "reject"), alice_, {{"note", "changed my mind"}}).status, 409);
  EXPECT_EQ(post(path(id, "cancel"), bob_, nullptr).status, 409);
}

TEST_F(ApprovalRoutes, AgentsCannotDecideUnnamedApprovals) {
  const std::string id = request_review(alice_);
  EXPECT_EQ(post(path(id, "approve"), bob_, nullptr).status, 403);
  EXPECT_EQ(post(path(id, "approve"), carol_, nullptr).status, 403);  // viewer
}

TEST_F(ApprovalRoutes, NamedApproverDecidesAndNobodyElse) {
  const std::string id = request_review(alice_, "bob@one.test");
  EXPECT_EQ(post(path(id, "reject"), alice_, {{"note", "no"}}).status, 403);  // requester, admin
  auto r = post(path(id, "reject"), bob_, {{"note", "price too low"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json(r)["status"], "rejected");
  EXPECT_EQ(json(r)["decision_note"], "price too low");
  EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE kind = 'approval.rejected'"
                  " AND payload->'approval'->>'id' = '" +
                  id + "'"),
            1);
}

TEST_F(ApprovalRoutes, RejectNeedsANote) {
  const std::string id = request_review(bob_);
  auto r = post(path(id, "reject"), alice_, nullptr);
  EXPECT_EQ(r.status, 400) << r.body;
  auto empty = post(path(id, "reject"), alice_, {{"note", ""}});
  EXPECT_EQ(empty.status, 400);
  EXPECT_EQ(json(empty)["invalid_params"][0]["name"], "note");
}

TEST_F(ApprovalRoutes, RequesterCannotApproveOwnRequest) {
  const std::string id = request_review(alice_);
  EXPECT_EQ(post(path(id, "approve"), alice_, nullptr).status, 403);
  auto self = post("/api/v1/approvals", alice_,
                   {{"entity_type", "contact"},
                    {"entity_id", new_contact()},
                    {"approver_id", id_of("alice@one.test")}});
  EXPECT_EQ(self.status, 400);
}

TEST_F(ApprovalRoutes, OnlyTheRequesterCancels) {
  const std::string id = request_review(bob_);
  EXPECT_EQ(post(path(id, "cancel"), alice_, nullptr).status, 403);
  auto r = post(path(id, "cancel"), bob_, nullptr);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json(r)["status"], "cancelled");
  EXPECT_EQ(post(path(id, "approve"), alice_, nullptr).status, 409);
  EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE kind = 'approval.cancelled'"
                  " AND payload->'approval'->>'id' = '" +
                  id + "'"),
            1);
}

TEST_F(ApprovalRoutes, ApproverMustBeAnActingMemberOfTheTenant) {
  for (const char* email : {"carol@one.test", "dave@two.test"}) {
    auto r = post(
        "/api/v1/approvals", bob_,
        {{"entity_type", "contact"}, {"entity_id", new_contact()}, {"approver_id", id_of(email)}});
    EXPECT_EQ(r.status, 400) << email << ": " << r.body;
  }
}

TEST_F(ApprovalRoutes, DatabaseRefusesAnyChangeToADecidedApproval) {
  const std::string id = request_review(bob_);
  ASSERT_EQ(post(path(id, "approve"), alice_, nullptr).status, 200);
  for (const char* sql :
       {"UPDATE approvals SET status = 'rejected' WHERE id = '%'",
        "UPDATE approvals SET status = 'pending', decided_at = NULL WHERE id = '%'",
        "UPDATE approvals SET decision_note = 'edited' WHERE id = '%'"}) {
    std::string q = sql;
    q.replace(q.find('%'), 1, id);
    try {
      scalar(q);
      FAIL() << "the trigger should refuse: " << q;
    } catch (const pqxx::sql_error& e) {
      EXPECT_EQ(e.sqlstate(), "RE409") << q;
    }
  }
  EXPECT_EQ(scalar("SELECT status FROM approvals WHERE id = '" + id + "'"), "approved");
}

TEST_F(ApprovalRoutes, DeletingTheApproverAccountKeepsTheDecidedHistory) {
  const std::string user = scalar(
      "INSERT INTO users (email) VALUES ('gone-' || gen_random_uuid() ||"
      " '@one.test') RETURNING id::text");
  scalar("INSERT INTO tenant_memberships (tenant_id, user_id, role) VALUES ('t-one', '" + user +
         "', 'agent') RETURNING role");
  auto r = post("/api/v1/approvals", alice_,
                {{"entity_type", "contact"}, {"entity_id", new_contact()}, {"approver_id", user}});
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string id = json(r)["id"];
  ASSERT_EQ(post(path(id, "cancel"), alice_, nullptr).status, 200);
  EXPECT_NO_THROW(scalar("DELETE FROM users WHERE id = '" + user + "' RETURNING id"));
  EXPECT_EQ(scalar("SELECT status || ':' || coalesce(approver_id::text, 'none') FROM approvals"
                   " WHERE id = '" +
                   id + "'"),
            "cancelled:none");
}

TEST_F(ApprovalRoutes, ListFiltersByStatusAndApprover) {
  const std::string pending = request_review(alice_, "bob@one.test");
  const std::string decided = request_review(alice_, "bob@one.test");
  ASSERT_EQ(post(path(decided, "approve"), bob_, nullptr).status, 200);
  Json items = json(get("/api/v1/approvals?status=pending&approver=me&limit=200", bob_))["items"];
  std::set<std::string> ids;
  for (const auto& a : items) {
    EXPECT_EQ(a["status"], "pending");
    ids.insert(a["id"].get<std::string>());
  }
  EXPECT_TRUE(ids.count(pending));
  EXPECT_FALSE(ids.count(decided));
  auto bad = get("/api/v1/approvals?status=maybe", bob_);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(json(bad)["invalid_params"][0]["name"], "query.status");
}

TEST_F(ApprovalRoutes, EmptyBodyIsFineForApproveAndCancel) {
  const std::string id = request_review(bob_);
  auto r = post(path(id, "approve"), alice_, nullptr);
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json(r)["decision_note"], "");
}

}  // namespace
}  // namespace reos::collaboration::testing
