// /api/v1/tasks and /api/v1/tasks/{id}: create, list (due date order), read, merge-patch,
// delete. Assigning a task to someone emits task.assigned.

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "api/api_context.hpp"
#include "api/json_body.hpp"
#include "contacts/contact_routes.hpp"
#include "contacts/crud_routes.hpp"
#include "contacts/list_params.hpp"
#include "contacts/task_rules.hpp"
#include "http/router.hpp"
#include "property_search/property_columns.hpp"
#include "property_search/sql_params.hpp"

namespace reos::contacts {
namespace {

using nlohmann::json;
using property_search::SqlParams;
using property_search::utc_text_sql;

const api::RouteAccess kRead{api::Role::viewer, "tasks:read"};
const api::RouteAccess kWrite{api::Role::agent, "tasks:write"};
const char* kCursorKind = "tasks";
const std::vector<std::string> kStatuses = {"open", "done", "cancelled"};

std::string task_json_sql() {
  return "json_build_object('id', t.id, 'title', t.title, 'description', t.description,"
         " 'due_date', t.due_date, 'assignee_user_id', t.assignee_user_id, 'status', t.status,"
         " 'related_type', t.related_type, 'related_id', t.related_id, 'created_by', t.created_by,"
         " 'completed_at', " +
         utc_text_sql("t.completed_at") + ", 'created_at', " + utc_text_sql("t.created_at") +
         ", 'updated_at', " + utc_text_sql("t.updated_at") + ")";
}

// The editable columns, read from the whole task `b` (jsonb); completed_at is set when the
// task becomes done and kept while it stays done.
const char* kEditable =
    "title = b->>'title', description = coalesce(b->>'description', ''),"
    " due_date = (b->>'due_date')::date, assignee_user_id = (b->>'assignee_user_id')::uuid,"
    " status = coalesce(b->>'status', 'open'), related_type = b->>'related_type',"
    " related_id = b->>'related_id', completed_at = CASE WHEN coalesce(b->>'status', 'open') ="
    " 'done' THEN coalesce(t.completed_at, now()) END";

std::string assignee_of(const json& task) {
  const auto it = task.find("assignee_user_id");
  return it == task.end() || !it->is_string() ? "" : it->get<std::string>();
}

void emit_assigned(const api::ApiContext& api, pqxx::transaction_base& tx,
                   const api::ApiRequest& req, const json& task) {
  const std::string task_id = task.at("id").get<std::string>();
  const json payload{{"task_id", task_id},
                     {"assignee_user_id", task.at("assignee_user_id")},
                     {"title", task.at("title")},
                     {"due_date", task.at("due_date")}};
  api.emit_event(tx, req.caller.tenant_id, "task.assigned", payload.dump(),
                 "task.assigned:" + task_id + ":" + req.http.request_id);
}

std::string select_task(pqxx::transaction_base& tx, const std::string& id, bool for_update) {
  const pqxx::result rows =
      tx.exec_params("SELECT " + task_json_sql() + "::text FROM tasks t WHERE t.id = $1::uuid" +
                         (for_update ? " FOR UPDATE" : ""),
                     id);
  if (rows.empty()) api::throw_not_found("task " + id);
  return rows[0][0].as<std::string>();
}

http::Response create(const api::ApiContext& api, const api::ApiRequest& req) {
  const json body = api::parse_json_body(req.http, "task", api.settings().max_json_depth);
  std::string task;
  std::string id;
  api.in_tenant(req, [&](pqxx::transaction_base& tx) {
    check_task(tx, body);
    const std::string created_by =
        req.caller.kind == api::Caller::Kind::user ? req.caller.user_id : "";
    id = tx.exec_params1(
               "INSERT INTO tasks (tenant_id, title, created_by) VALUES"
               " (reos_current_tenant(), '-', NULLIF($1, '')::uuid) RETURNING id::text",
               created_by)[0]
             .as<std::string>();
    tx.exec_params(std::string("UPDATE tasks t SET ") + kEditable +
                       " FROM (SELECT $2::jsonb AS b) AS body WHERE t.id = $1::uuid",
                   id, body.dump());
    task = select_task(tx, id, false);
    api.audit(tx, req, {"task.create", "task", id, "", task});
    if (!assignee_of(body).empty()) emit_assigned(api, tx, req, json::parse(task));
  });
  http::Response response = http::json_response(201, task);
  response.headers.emplace_back("Location", "/api/v1/tasks/" + id);
  return response;
}

std::string list_where(admin_api::QueryParams& params, const api::ApiRequest& req, SqlParams& sql) {
  std::string where = "t.tenant_id = reos_current_tenant()";
  if (const auto status = params.text("status")) {
    std::string list;
    for (const std::string& one : split_commas(*status)) {
      if (std::find(kStatuses.begin(), kStatuses.end(), one) == kStatuses.end()) {
        params.reject("status", "unknown status '" + one + "' (allowed: open, done, cancelled)");
        break;
      }
      list += (list.empty() ? "" : ", ") + sql.add(one);
    }
    where += " AND t.status IN (" + (list.empty() ? std::string("NULL") : list) + ")";
  }
  if (const auto assignee = user_param(params, "assignee", req)) {
    where += " AND t.assignee_user_id = " + sql.add(*assignee) + "::uuid";
  }
  const auto type = params.text("related_type");
  const auto id = params.text("related_id");
  if (type && *type != "contact" && *type != "property") {
    params.reject("related_type", "must be contact or property");
  } else if (type.has_value() != id.has_value()) {
    params.reject(type ? "related_id" : "related_type", "related_type and related_id go together");
  } else if (type) {
    where += " AND t.related_type = " + sql.add(*type) + " AND t.related_id = " + sql.add(*id);
  }
  for (const auto& [name, op] : {std::pair<const char*, const char*>{"due_before", "<="},
                                 std::pair<const char*, const char*>{"due_after", ">="}}) {
    const auto date = params.text(name);
    if (!date) continue;
    if (!is_calendar_date(*date)) {
      params.reject(name, "must be a date YYYY-MM-DD");
    } else {
      where += std::string(" AND t.due_date ") + op + " " + sql.add(*date) + "::date";
    }
  }
  return where;
}

http::Response list(const api::ApiContext& api, const api::ApiRequest& req) {
  admin_api::QueryParams params(req.http.query, {"status", "assignee", "related_type", "related_id",
                                                 "due_before", "due_after", "limit", "cursor"});
  SqlParams sql;
  std::string where = list_where(params, req, sql);
  const PageParams page = page_params(params, kCursorKind);
  throw_if_invalid(params);
  const std::string due = "coalesce(t.due_date, 'infinity'::date)";
  if (page.after) {
    where += " AND (" + due + ", t.id) > (" + sql.add(page.after->value) + "::date, " +
             sql.add(page.after->id) + "::uuid)";
  }
  const std::string query = "SELECT " + task_json_sql() + "::text AS item, " + due +
                            "::text AS sort_value, t.id::text AS id FROM tasks t WHERE " + where +
                            " ORDER BY " + due + ", t.id LIMIT " +
                            sql.add(std::to_string(page.limit + 1)) + "::bigint";
  std::string body;
  read_page(api, req, [&](pqxx::transaction_base& tx) {
    body = page_json(property_search::exec_with(tx, query, sql), page.limit, kCursorKind);
  });
  return http::json_response(200, body);
}

http::Response get_one(const api::ApiContext& api, const api::ApiRequest& req) {
  const std::string id = path_uuid(req, "task");
  std::string task;
  api.in_tenant(req, [&](pqxx::transaction_base& tx) { task = select_task(tx, id, false); });
  return http::json_response(200, task);
}

http::Response patch(const api::ApiContext& api, const api::ApiRequest& req) {
  const std::string id = path_uuid(req, "task");
  const json body = api::parse_json_body(req.http, "task_patch", api.settings().max_json_depth);
  std::string after;
  api.in_tenant(req, [&](pqxx::transaction_base& tx) {
    const std::string before = select_task(tx, id, true);
    json merged = json::parse(before);
    merged.merge_patch(body);
    check_task(tx, merged);
    tx.exec_params(std::string("UPDATE tasks t SET ") + kEditable +
                       ", updated_at = now() FROM (SELECT $2::jsonb AS b) AS body"
                       " WHERE t.id = $1::uuid",
                   id, merged.dump());
    after = select_task(tx, id, false);
    api.audit(tx, req, {"task.update", "task", id, before, after});
    const std::string assignee = assignee_of(merged);
    if (!assignee.empty() && assignee != assignee_of(json::parse(before))) {
      emit_assigned(api, tx, req, json::parse(after));
    }
  });
  return http::json_response(200, after);
}

http::Response remove(const api::ApiContext& api, const api::ApiRequest& req) {
  const std::string id = path_uuid(req, "task");
  api.in_tenant(req, [&](pqxx::transaction_base& tx) {
    const std::string before = select_task(tx, id, true);
    tx.exec_params("DELETE FROM tasks WHERE id = $1::uuid", id);
    api.audit(tx, req, {"task.delete", "task", id, before, ""});
  });
  return no_content();
}

}  // namespace

void add_task_routes(http::Router& router, const api::ApiContext& api) {
  add_crud_routes(router, api, "/api/v1/tasks", kRead, kWrite,
                  {create, list, get_one, patch, remove});
}

}  // namespace reos::contacts
