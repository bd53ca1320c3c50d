// Notes on contacts with @mentions: note_mentions rows, one note.mentioned event per
// mentioned member, ambiguity, pages, and isolation.
#include <pqxx/pqxx>

#include "crm_test_support.hpp"

namespace reos::contacts::test {
namespace {

class NotesApi : public CrmApiTest {
 protected:
  std::string contact_path() {
    if (contact_.empty()) contact_ = create_contact({{"first_name", "Lead"}}).at("id");
    return "/api/v1/contacts/" + contact_ + "/notes";
  }
  std::string contact_;
};

TEST_F(NotesApi, MentionsAreRecordedAndEachMemberNotifiedOnce) {
  const std::string alice_id = h_.user_id("alice@one.test");
  const std::string carol_id = h_.user_id("carol@one.test");
  const json note = call("POST", contact_path(), bob(),
                         {{"body",
                           "@alice and @carol@one.test: call back. Thanks @alice! "
                           "(not @dave, not bob@one.test, and @bob is me)"}},
                         201);
  const std::string note_id = note.at("id");
  EXPECT_EQ(note.at("author_user_id"), h_.user_id("bob@one.test"));
  std::set<std::string> mentioned;
  for (const json& m : note.at("mentions")) mentioned.insert(m.get<std::string>());
  EXPECT_EQ(mentioned, (std::set<std::string>{alice_id, carol_id}));
  EXPECT_EQ(sql_text("SELECT string_agg(user_id::text, ',' ORDER BY user_id) FROM note_mentions"
                     " WHERE note_id = '" +
                     note_id + "' AND tenant_id = 't-one'"),
            std::min(alice_id, carol_id) + "," + std::max(alice_id, carol_id));
  EXPECT_EQ(sql_text("SELECT count(*) FROM jobs WHERE kind = 'note.mentioned'"), "2");
  EXPECT_EQ(sql_text("SELECT payload->>'note_id' || ' ' || (payload->>'contact_id') || ' ' ||"
                     " (payload->>'author_user_id') FROM jobs WHERE kind = 'note.mentioned'"
                     " AND payload->>'mentioned_user_id' = '" +
                     carol_id + "'"),
            note_id + " " + contact_ + " " + h_.user_id("bob@one.test"));
  EXPECT_EQ(sql_text("SELECT action FROM audit_log WHERE entity_id = '" + note_id + "'"),
            "note.create");
}

TEST_F(NotesApi, AmbiguousLocalPartAsksForTheWholeAddress) {
  {
    pqxx::connection conn(h_.conninfo());
    pqxx::work tx(conn);
    tx.exec(
        "WITH u AS (INSERT INTO users (email) VALUES ('alice@elsewhere.test') RETURNING id)"
        " INSERT INTO tenant_memberships (tenant_id, user_id, role) SELECT 't-one', id,"
        " 'agent' FROM u");
    tx.commit();
  }
  const json problem = call("POST", contact_path(), bob(), {{"body", "ping @alice"}}, 400);
  EXPECT_EQ(invalid_names(problem), (std::set<std::string>{"body"}));
  const json ok = call("POST", contact_path(), bob(), {{"body", "ping @alice@one.test"}}, 201);
  EXPECT_EQ(ok.at("mentions"), json({h_.user_id("alice@one.test")}));
  EXPECT_EQ(sql_text("SELECT count(*) FROM notes"), "1");
}

TEST_F(NotesApi, MembersOfAnotherTenantCannotBeMentioned) {
  const json note = call("POST", contact_path(), bob(), {{"body", "@dave @dave@two.test"}}, 201);
  EXPECT_TRUE(note.at("mentions").empty());
  EXPECT_EQ(sql_text("SELECT count(*) FROM note_mentions"), "0");
  EXPECT_EQ(sql_text("SELECT count(*) FROM jobs WHERE kind = 'note.mentioned'"), "0");
}

TEST_F(NotesApi, NotesArePagedNewestFirst) {
  for (int i = 0; i < 7; ++i) {
    call("POST", contact_path(), bob(), {{"body", "note " + std::to_string(i)}}, 201);
  }
  std::vector<std::string> bodies;
  std::string cursor;
  do {
    const json page =
        get(contact_path() + "?limit=3" + (cursor.empty() ? "" : "&cursor=" + cursor), carol());
    for (const json& n : page.at("items")) bodies.push_back(n.at("body"));
    cursor = page.at("next_cursor").is_null() ? "" : page.at("next_cursor").get<std::string>();
  } while (!cursor.empty() && bodies.size() < 20);
  EXPECT_EQ(bodies, (std::vector<std::string>{"note 6", "note 5", "note 4", "note 3", "note 2",
                                              "note 1", "note 0"}));
  call("POST", contact_path(), bob(), {{"body", ""}}, 400);
  call("POST", contact_path(), carol(), {{"body", "viewer"}}, 403);
}

TEST_F(NotesApi, AMachineClientIsRecordedAsTheAuthorByItsKey) {
  const std::string key = h_.api_key("t-one", {"contacts:read", "contacts:write"}, "agent");
  const json note = call("POST", contact_path(), key, {{"body", "imported from CRM, @bob"}}, 201);
  EXPECT_TRUE(note.at("author_user_id").is_null());
  EXPECT_EQ(note.at("author_api_key_id"), sql_text("SELECT id FROM api_keys"));
  EXPECT_EQ(note.at("mentions"), json({h_.user_id("bob@one.test")}));
  EXPECT_EQ(sql_text("SELECT payload->>'author_user_id' FROM jobs WHERE kind = 'note.mentioned'"),
            "");
}

TEST_F(NotesApi, AnotherTenantsContactHasNoNotesToReadOrWrite) {
  const std::string path = contact_path();
  call("POST", path, bob(), {{"body", "private"}}, 201);
  get(path, dave(), 404);
  call("POST", path, dave(), {{"body", "intrusion"}}, 404);
  EXPECT_EQ(sql_text("SELECT count(*) FROM notes"), "1");
  // A contact deleted in its own tenant takes its notes out of reach too.
  call("DELETE", "/api/v1/contacts/" + contact_, bob(), nullptr, 204);
  get(path, bob(), 404);
}

}  // namespace
}  // namespace reos::contacts::test
