// /api/v1/tasks: CRUD, due-date order and filters, assignment events, validation of dates,
// assignees and related entities, and isolation between the tenants.
#include <pqxx/pqxx>

#include "crm_test_support.hpp"

namespace reos::contacts::test {
namespace {

TEST_F(CrmApiTest, TaskLifecycle) {
  const std::string carol_id = h_.user_id("carol@one.test");
  const json contact = create_contact({{"first_name", "Buyer"}});
  const json task = call("POST", "/api/v1/tasks", bob(),
                         {{"title", "Call back"},
                          {"due_date", "2025-03-01"},
                          {"assignee_user_id", carol_id},
                          {"related_type", "contact"},
                          {"related_id", contact.at("id")}},
                         201);
  const std::string path = "/api/v1/tasks/" + task.at("id").get<std::string>();
  EXPECT_EQ(task.at("status"), "open");
  EXPECT_EQ(task.at("due_date"), "2025-03-01");
  EXPECT_EQ(task.at("created_by"), h_.user_id("bob@one.test"));
  EXPECT_TRUE(task.at("completed_at").is_null());
  EXPECT_EQ(get(path, carol()), task);
  EXPECT_EQ(sql_text("SELECT payload->>'assignee_user_id' FROM jobs WHERE kind = 'task.assigned'"),
            carol_id);

  const json done = call("PATCH", path, bob(), {{"status", "done"}}, 200);
  EXPECT_EQ(done.at("status"), "done");
  ASSERT_TRUE(done.at("completed_at").is_string());
  EXPECT_EQ(done.at("title"), "Call back");
  const json retitled =
      call("PATCH", path, bob(), {{"title", "Called"}, {"due_date", nullptr}}, 200);
  EXPECT_EQ(retitled.at("completed_at"), done.at("completed_at"));  // still done: kept
  EXPECT_TRUE(retitled.at("due_date").is_null());
  const json reopened = call("PATCH", path, bob(), {{"status", "open"}}, 200);
  EXPECT_TRUE(reopened.at("completed_at").is_null());
  EXPECT_EQ(sql_text("SELECT count(*) FROM jobs WHERE kind = 'task.assigned'"),
            "1");  // same assignee

  call("PATCH", path, bob(), {{"assignee_user_id", h_.user_id("alice@one.test")}}, 200);
  EXPECT_EQ(sql_text("SELECT count(*) FROM jobs WHERE kind = 'task.assigned'"), "2");

  call("DELETE", path, bob(), nullptr, 204);
  get(path, bob(), 404);
  EXPECT_EQ(
      sql_text(
          "SELECT string_agg(action, ',' ORDER BY id) FROM audit_log WHERE entity_type = 'task'"),
      "task.create,task.update,task.update,task.update,task.update,task.delete");
}

TEST_F(CrmApiTest, TaskRulesNameEveryBadField) {
  const json problem =
      call("POST", "/api/v1/tasks", bob(),
           {{"title", ""}, {"due_date", "March 1"}, {"status", "doing"}, {"assignee_user_id", "x"}},
           400);
  EXPECT_EQ(invalid_names(problem),
            (std::set<std::string>{"title", "due_date", "status", "assignee_user_id"}));
  EXPECT_EQ(invalid_names(call("POST", "/api/v1/tasks", bob(),
                               {{"title", "t"},
                                {"due_date", "2025-02-30"},
                                {"assignee_user_id", h_.user_id("dave@two.test")},
                                {"related_type", "contact"},
                                {"related_id", "00000000-0000-0000-0000-000000000000"}},
                               400)),
            (std::set<std::string>{"due_date", "assignee_user_id", "related_id"}));
  EXPECT_EQ(invalid_names(call("POST", "/api/v1/tasks", bob(),
                               {{"title", "t"}, {"related_type", "property"}}, 400)),
            (std::set<std::string>{"related_id"}));
  EXPECT_EQ(sql_text("SELECT count(*) FROM tasks"), "0");
}

TEST_F(CrmApiTest, TasksListByDueDateWithFilters) {
  const std::string carol_id = h_.user_id("carol@one.test");
  auto make = [&](const std::string& title, const json& due, const std::string& assignee) {
    json body = {{"title", title}, {"due_date", due}};
    if (!assignee.empty()) body["assignee_user_id"] = assignee;
    return call("POST", "/api/v1/tasks", bob(), body, 201).at("id").get<std::string>();
  };
  const std::string undated = make("undated", nullptr, carol_id);
  const std::string late = make("late", "2025-06-01", "");
  const std::string early = make("early", "2025-01-15", carol_id);
  const std::string mid = make("mid", "2025-03-10", carol_id);
  call("PATCH", "/api/v1/tasks/" + mid, bob(), {{"status", "done"}}, 200);
  std::vector<std::string> all;
  std::string cursor;
  do {
    const json page =
        get("/api/v1/tasks?limit=2" + (cursor.empty() ? "" : "&cursor=" + cursor), carol());
    for (const std::string& id : ids_of(page)) all.push_back(id);
    cursor = page.at("next_cursor").is_null() ? "" : page.at("next_cursor").get<std::string>();
  } while (!cursor.empty() && all.size() < 10);
  EXPECT_EQ(all, (std::vector<std::string>{early, mid, late, undated}));
  EXPECT_EQ(ids_of(get("/api/v1/tasks?assignee=me&status=open", carol())),
            (std::vector<std::string>{early, undated}));
  EXPECT_EQ(ids_of(get("/api/v1/tasks?due_before=2025-03-10&due_after=2025-02-01", carol())),
            (std::vector<std::string>{mid}));
  EXPECT_EQ(
      invalid_names(get("/api/v1/tasks?status=late&due_before=2025-02-30&related_type=contact",
                        carol(), 400)),
      (std::set<std::string>{"query.status", "query.due_before", "query.related_id"}));
}

TEST_F(CrmApiTest, TasksOfAnotherTenantAreNotFound) {
  const json task = call("POST", "/api/v1/tasks", bob(), {{"title", "mine"}}, 201);
  const std::string path = "/api/v1/tasks/" + task.at("id").get<std::string>();
  get(path, dave(), 404);
  call("PATCH", path, dave(), {{"status", "cancelled"}}, 404);
  call("DELETE", path, dave(), nullptr, 404);
  EXPECT_TRUE(get("/api/v1/tasks", dave()).at("items").empty());
  EXPECT_EQ(get(path, bob()).at("status"), "open");
  // Nor can a task point at another tenant's contact.
  const json theirs = call("POST", "/api/v1/contacts", dave(), {{"first_name", "Two"}}, 201);
  EXPECT_EQ(
      invalid_names(call(
          "POST", "/api/v1/tasks", bob(),
          {{"title", "peek"}, {"related_type", "contact"}, {"related_id", theirs.at("id")}}, 400)),
      (std::set<std::string>{"related_id"}));
  call("POST", "/api/v1/tasks", carol(), {{"title", "viewer"}}, 403);
}

}  // namespace
}  // namespace reos::contacts::test
