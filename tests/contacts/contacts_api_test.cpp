// /api/v1/contacts over real HTTP and PostgreSQL: CRUD, merge patch, consent, validation
// shapes, filters, cursor pages, roles, and isolation between the two tenants.
#include <algorithm>
#include <pqxx/pqxx>

#include "crm_test_support.hpp"

namespace reos::contacts::test {
namespace {

TEST_F(CrmApiTest, ContactLifecycleIsAuditedEndToEnd) {
  const std::string bob_id = h_.user_id("bob@one.test");
  const json created = create_contact({{"first_name", "Ada"},
                                       {"last_name", "Lovelace"},
                                       {"email", "ada@example.com"},
                                       {"phone", "+14155550123"},
                                       {"status", "qualified"},
                                       {"source", "zillow"},
                                       {"owner_user_id", bob_id},
                                       {"score", 87},
                                       {"tags", {"buyer", "vip"}},
                                       {"consent_email", true}});
  const std::string id = created.at("id");
  EXPECT_EQ(created.at("first_name"), "Ada");
  EXPECT_EQ(created.at("status"), "qualified");
  EXPECT_EQ(created.at("owner_user_id"), bob_id);
  EXPECT_EQ(created.at("score"), 87);
  EXPECT_EQ(created.at("tags"), json({"buyer", "vip"}));
  EXPECT_EQ(created.at("consent_email"), true);
  EXPECT_TRUE(created.at("consent_email_at").is_string());
  EXPECT_EQ(created.at("consent_sms"), false);
  EXPECT_TRUE(created.at("consent_sms_at").is_null());
  EXPECT_EQ(get("/api/v1/contacts/" + id, carol()), created);

  const json patched = call("PATCH", "/api/v1/contacts/" + id, bob(),
                            {{"status", "client"}, {"phone", nullptr}, {"tags", {"seller"}}}, 200);
  EXPECT_EQ(patched.at("status"), "client");
  EXPECT_TRUE(patched.at("phone").is_null());
  EXPECT_EQ(patched.at("tags"), json({"seller"}));
  EXPECT_EQ(patched.at("email"), "ada@example.com");  // absent members stay
  EXPECT_EQ(patched.at("consent_email_at"), created.at("consent_email_at"));

  call("DELETE", "/api/v1/contacts/" + id, bob(), nullptr, 204);
  get("/api/v1/contacts/" + id, bob(), 404);
  call("PATCH", "/api/v1/contacts/" + id, bob(), {{"score", 1}}, 404);
  call("DELETE", "/api/v1/contacts/" + id, bob(), nullptr, 404);
  EXPECT_TRUE(get("/api/v1/contacts", bob()).at("items").empty());

  EXPECT_EQ(sql_text("SELECT string_agg(action || ':' || actor_id, ',' ORDER BY id) FROM audit_log"
                     " WHERE entity_id = '" +
                     id + "'"),
            "contact.create:" + bob_id + ",contact.update:" + bob_id + ",contact.delete:" + bob_id);
  EXPECT_EQ(sql_text("SELECT after->>'status' FROM audit_log WHERE action = 'contact.update'"),
            "client");
  EXPECT_EQ(sql_text("SELECT payload->>'contact_id' FROM jobs WHERE kind = 'contact.created'"), id);
  // Soft delete: the row stays for the audit trail.
  EXPECT_EQ(sql_text("SELECT count(*) FROM contacts WHERE deleted_at IS NOT NULL"), "1");
}

TEST_F(CrmApiTest, ConsentTimestampsMoveOnlyWhenTheFlagChanges) {
  const json c = create_contact({{"email", "c@example.com"}});
  const std::string path = "/api/v1/contacts/" + c.at("id").get<std::string>();
  EXPECT_TRUE(c.at("consent_sms_at").is_null());
  const json on = call("PATCH", path, bob(), {{"consent_sms", true}}, 200);
  ASSERT_TRUE(on.at("consent_sms_at").is_string());
  const json same = call("PATCH", path, bob(), {{"consent_sms", true}, {"score", 5}}, 200);
  EXPECT_EQ(same.at("consent_sms_at"), on.at("consent_sms_at"));
  const json off = call("PATCH", path, bob(), {{"consent_sms", false}}, 200);
  EXPECT_EQ(off.at("consent_sms"), false);
  EXPECT_GT(off.at("consent_sms_at").get<std::string>(),
            on.at("consent_sms_at").get<std::string>());
}

TEST_F(CrmApiTest, InvalidBodiesNameEveryBadField) {
  const json problem = call("POST", "/api/v1/contacts", bob(),
                            {{"email", "not-an-address"},
                             {"phone", "555-0123"},
                             {"status", "hot"},
                             {"score", 101},
                             {"tags", {"ok", "a,b"}},
                             {"colour", "red"}},
                            400);
  EXPECT_EQ(invalid_names(problem),
            (std::set<std::string>{"email", "phone", "status", "score", "tags/1", "colour"}));
  EXPECT_EQ(invalid_names(call("POST", "/api/v1/contacts", bob(), json::object(), 400)),
            (std::set<std::string>{""}));
  EXPECT_EQ(invalid_names(
                call("POST", "/api/v1/contacts", bob(),
                     {{"first_name", "X"}, {"owner_user_id", h_.user_id("dave@two.test")}}, 400)),
            (std::set<std::string>{"owner_user_id"}));
  const json c = create_contact({{"email", "dup@example.com"}});
  call("POST", "/api/v1/contacts", bob(), {{"email", "DUP@example.com"}}, 409);
  const std::string path = "/api/v1/contacts/" + c.at("id").get<std::string>();
  call("PATCH", path, bob(), json::object(), 400);
  EXPECT_EQ(invalid_names(call("PATCH", path, bob(), {{"email", nullptr}}, 400)),
            (std::set<std::string>{""}));
  EXPECT_EQ(
      invalid_names(call("PATCH", path, bob(), {{"first_name", nullptr}, {"score", "9"}}, 400)),
      (std::set<std::string>{"first_name", "score"}));
}

TEST_F(CrmApiTest, FiltersSelectExactlyTheirContacts) {
  const std::string bob_id = h_.user_id("bob@one.test");
  const std::string alice_id = h_.user_id("alice@one.test");
  const json a = create_contact({{"first_name", "Ann"},
                                 {"status", "new"},
                                 {"owner_user_id", bob_id},
                                 {"tags", {"buyer", "vip"}}});
  const json b = create_contact({{"last_name", "Berg"},
                                 {"status", "lost"},
                                 {"owner_user_id", alice_id},
                                 {"tags", {"buyer"}},
                                 {"email", "b_100%@example.com"}});
  const json c = create_contact({{"phone", "+442071838750"}, {"status", "client"}});
  auto ids = [&](const std::string& query) {
    std::vector<std::string> v = ids_of(get("/api/v1/contacts?" + query, carol()));
    std::sort(v.begin(), v.end());
    return v;
  };
  auto sorted = [](std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
  };
  const std::string ia = a.at("id"), ib = b.at("id"), ic = c.at("id");
  EXPECT_EQ(ids(""), sorted({ia, ib, ic}));
  EXPECT_EQ(ids("status=new"), sorted({ia}));
  EXPECT_EQ(ids("status=lost,client"), sorted({ib, ic}));
  EXPECT_EQ(ids("owner=" + bob_id), sorted({ia}));
  EXPECT_EQ(ids_of(get("/api/v1/contacts?owner=me", alice())), std::vector<std::string>{ib});
  EXPECT_EQ(ids("tag=buyer"), sorted({ia, ib}));
  EXPECT_EQ(ids("tag=buyer,vip"), sorted({ia}));
  EXPECT_EQ(ids("q=ann"), sorted({ia}));
  EXPECT_EQ(ids("q=BERG"), sorted({ib}));
  EXPECT_EQ(ids("q=100%25"), sorted({ib}));  // a literal %, not a wildcard
  EXPECT_EQ(ids("q=%25"), sorted({ib}));
  EXPECT_EQ(ids("q=2071838"), sorted({ic}));
  EXPECT_EQ(invalid_names(get("/api/v1/contacts?status=hot&owner=bob&limit=0&cursor=x&sort=name",
                              carol(), 400)),
            (std::set<std::string>{"query.status", "query.owner", "query.limit", "query.cursor",
                                   "query.sort"}));
}

TEST_F(CrmApiTest, CursorPagesListEveryContactOnceNewestFirst) {
  {
    pqxx::connection conn(h_.conninfo());
    pqxx::work tx(conn);
    // 130 contacts, many sharing a creation time: the id breaks the ties.
    tx.exec(
        "INSERT INTO contacts (tenant_id, first_name, created_at) SELECT 't-one', 'P' || i,"
        " timestamptz '2025-01-01' + (i / 4) * interval '1 minute'"
        " FROM generate_series(1, 130) AS i");
    tx.commit();
  }
  std::vector<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    const json page =
        get("/api/v1/contacts?limit=50" + (cursor.empty() ? "" : "&cursor=" + cursor), carol());
    for (const std::string& id : ids_of(page)) seen.push_back(id);
    cursor = page.at("next_cursor").is_null() ? "" : page.at("next_cursor").get<std::string>();
    ++pages;
  } while (!cursor.empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 130u);
  EXPECT_EQ(seen.size(), 130u);
  EXPECT_EQ(seen.front(),
            sql_text("SELECT id FROM contacts ORDER BY created_at DESC, id DESC LIMIT 1"));
  EXPECT_EQ(seen.back(), sql_text("SELECT id FROM contacts ORDER BY created_at, id LIMIT 1"));
}

TEST_F(CrmApiTest, AnotherTenantsContactIsNotFoundForEveryVerb) {
  const json mine = create_contact({{"first_name", "Only"}, {"last_name", "One"}});
  const std::string path = "/api/v1/contacts/" + mine.at("id").get<std::string>();
  get(path, dave(), 404);
  call("PATCH", path, dave(), {{"status", "lost"}}, 404);
  call("DELETE", path, dave(), nullptr, 404);
  EXPECT_TRUE(get("/api/v1/contacts", dave()).at("items").empty());
  const json theirs = call("POST", "/api/v1/contacts", dave(), {{"first_name", "Two"}}, 201);
  EXPECT_EQ(ids_of(get("/api/v1/contacts", bob())), std::vector<std::string>{mine.at("id")});
  get("/api/v1/contacts/" + theirs.at("id").get<std::string>(), bob(), 404);
  EXPECT_EQ(get(path, bob()).at("status"), "new");  // untouched by dave's attempts
  get("/api/v1/contacts/not-a-uuid", bob(), 404);
  // An e-mail address is unique per tenant only.
  create_contact({{"email", "same@example.com"}});
  call("POST", "/api/v1/contacts", dave(), {{"email", "same@example.com"}}, 201);
}

TEST_F(CrmApiTest, ViewersReadAgentsWriteKeysNeedTheirScope) {
  const json c = create_contact({{"first_name", "R"}});
  call("POST", "/api/v1/contacts", carol(), {{"first_name", "V"}}, 403);
  call("DELETE", "/api/v1/contacts/" + c.at("id").get<std::string>(), carol(), nullptr, 403);
  const std::string reader = h_.api_key("t-one", {"contacts:read"}, "agent");
  EXPECT_EQ(get("/api/v1/contacts", reader).at("items").size(), 1u);
  call("POST", "/api/v1/contacts", reader, {{"first_name", "K"}}, 403);
  const std::string writer = h_.api_key("t-one", {"contacts:read", "contacts:write"}, "agent");
  call("POST", "/api/v1/contacts", writer, {{"first_name", "K"}}, 201);
  get("/api/v1/contacts", "", 401);
}

}  // namespace
}  // namespace reos::contacts::test

namespace reos::contacts::test {
namespace {

// POST honours Idempotency-Key (the framework's replay, on this module's route): the same
// key and body create one contact and answer the same body twice.
TEST_F(CrmApiTest, ARetriedCreateWithTheSameIdempotencyKeyCreatesOnce) {
  const std::string body = json{{"first_name", "Once"}, {"email", "once@example.com"}}.dump();
  const reos::test::ClientResponse first =
      h_.call("POST", "/api/v1/contacts", bob(), body, {"Idempotency-Key: create-once-1"});
  const reos::test::ClientResponse again =
      h_.call("POST", "/api/v1/contacts", bob(), body, {"Idempotency-Key: create-once-1"});
  EXPECT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(sql_text("SELECT count(*) FROM contacts"), "1");
  EXPECT_EQ(sql_text("SELECT count(*) FROM jobs WHERE kind = 'contact.created'"), "1");
}

}  // namespace
}  // namespace reos::contacts::test
