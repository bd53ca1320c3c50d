// POST/GET /api/v1/assignments and the accept/done transitions. One current assignee per
// entity (partial unique index); reassigning closes the current row as 'reassigned', so the
// list for an entity is its full history (docs/collaboration.md).

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "admin_api/query_params.hpp"
#include "api/json_body.hpp"
#include "collaboration/entity_ref.hpp"
#include "collaboration/route_support.hpp"
#include "http/router.hpp"

namespace reos::collaboration {
namespace {

constexpr std::size_t kMaxDepth = 8;

// The API shape of one assignments row aliased `a`, rendered by the database.
constexpr const char* kAssignmentJson =
    "jsonb_build_object('id', a.id, 'entity_type', a.entity_type, 'entity_id', a.entity_id,"
    " 'assignee_id', a.assignee_id, 'assigned_by', a.assigned_by, 'note', a.note,"
    " 'state', a.state, 'created_at', a.created_at, 'accepted_at', a.accepted_at,"
    " 'done_at', a.done_at, 'ended_at', a.ended_at, 'updated_at', a.updated_at)::text";

std::string event_payload(const api::ApiRequest& req, const std::string& assignment_json,
                          const std::string& previous_id = "") {
  nlohmann::json p = {{"tenant_id", req.caller.tenant_id},
                      {"actor_type", req.caller.actor_type()},
                      {"actor_id", req.caller.actor_id()},
                      {"assignment", nlohmann::json::parse(assignment_json)}};
  if (!previous_id.empty()) p["replaces_assignment_id"] = previous_id;
  return p.dump();
}

http::Response assign(const api::ApiContext& api, const api::ApiRequest& req) {
  const nlohmann::json body = api::parse_json_body(req.http, "assignment_create", kMaxDepth);
  const std::string type = body.at("entity_type").get<std::string>();
  const std::string entity = body.at("entity_id").get<std::string>();
  const std::string assignee = body.at("assignee_id").get<std::string>();
  const std::string note = body.value("note", "");
  std::vector<http::InvalidParam> bad;
  check_entity_ref(type, entity, bad);
  if (!bad.empty()) api::throw_invalid(std::move(bad));

  std::string created;
  in_tenant_checked(
      api, req, "the entity was assigned concurrently; retry", [&](pqxx::transaction_base& tx) {
        if (!entity_exists(tx, type, entity)) api::throw_not_found(type);
        if (!is_acting_member(tx, assignee))
          api::throw_invalid({{"assignee_id", "is not an agent or admin of this tenant"}});
        // Lock the current assignment (if any) so two reassignments serialize.
        auto current = tx.exec_params(
            std::string("SELECT a.id::text, a.assignee_id::text, ") + kAssignmentJson +
                " FROM assignments a WHERE a.entity_type = $1 AND a.entity_id = $2"
                " AND a.state IN ('active', 'accepted') FOR UPDATE",
            type, entity);
        std::string previous_id, before;
        if (!current.empty()) {
          if (current[0][1].as<std::string>() == assignee)
            api::throw_conflict("the entity is already assigned to this user");
          previous_id = current[0][0].as<std::string>();
          before = tx.exec_params(std::string("UPDATE assignments a SET state = 'reassigned',"
                                              " ended_at = now() WHERE a.id = $1 RETURNING ") +
                                      kAssignmentJson,
                                  previous_id)[0][0]
                       .as<std::string>();
        }
        auto row = tx.exec_params(
            std::string("INSERT INTO assignments AS a (tenant_id, entity_type, entity_id,"
                        " assignee_id, assigned_by, note) VALUES (reos_current_tenant(), $1, $2,"
                        " $3::uuid, $4, $5) RETURNING a.id::text, ") +
                kAssignmentJson,
            type, entity, assignee, req.caller.actor_id(), note);
        const std::string id = row[0][0].as<std::string>();
        created = row[0][1].as<std::string>();
        api.audit(tx, req,
                  {previous_id.empty() ? "assignment.assign" : "assignment.reassign", "assignment",
                   id, before, created});
        api.emit_event(tx, req.caller.tenant_id, "assignment.created",
                       event_payload(req, created, previous_id), "assignment.created:" + id);
      });
  http::Response r = json_reply(201, created);
  r.headers.emplace_back(
      "Location",
      "/api/v1/assignments/" + nlohmann::json::parse(created).at("id").get<std::string>());
  return r;
}

// accept: active → accepted, by the assignee. done: active|accepted → done, by the assignee or
// a tenant admin.
http::Response transition(const api::ApiContext& api, const api::ApiRequest& req,
                          const std::string& to) {
  const std::string id = path_uuid(req, "assignment");
  std::string after;
  in_tenant_checked(api, req, "conflicting change", [&](pqxx::transaction_base& tx) {
    auto row =
        tx.exec_params(std::string("SELECT a.assignee_id::text, a.state, ") + kAssignmentJson +
                           " FROM assignments a WHERE a.id = $1 FOR UPDATE",
                       id);
    if (row.empty()) api::throw_not_found("assignment");
    const std::string assignee = row[0][0].as<std::string>();
    const std::string state = row[0][1].as<std::string>();
    const bool is_assignee =
        req.caller.kind == api::Caller::Kind::user && req.caller.user_id == assignee;
    if (to == "accepted" && !is_assignee) api::throw_forbidden("only the assignee can accept");
    if (to == "done" && !is_assignee && req.caller.role != api::Role::admin)
      api::throw_forbidden("only the assignee or a tenant admin can mark an assignment done");
    const bool allowed =
        to == "accepted" ? state == "active" : (state == "active" || state == "accepted");
    if (!allowed) api::throw_conflict("the assignment is " + state);
    const char* stamp = to == "accepted" ? "accepted_at" : "done_at";
    after = tx.exec_params(std::string("UPDATE assignments a SET state = $2, ") + stamp +
                               " = now()" + (to == "done" ? ", ended_at = now()" : "") +
                               " WHERE a.id = $1 RETURNING " + kAssignmentJson,
                           id, to)[0][0]
                .as<std::string>();
    const std::string verb = to == "accepted" ? "accept" : "done";
    api.audit(tx, req,
              {"assignment." + verb, "assignment", id, row[0][2].as<std::string>(), after});
    api.emit_event(tx, req.caller.tenant_id, "assignment." + to, event_payload(req, after),
                   "assignment." + to + ":" + id);
  });
  return json_reply(200, after);
}

// GET /api/v1/assignments: newest first, history included (filter state=active for the
// current ones).
http::Response list(const api::ApiContext& api, const api::ApiRequest& req) {
  admin_api::QueryParams q(req.http.query,
                           {"entity_type", "entity_id", "assignee", "state", "limit"});
  std::optional<std::string> type = q.text("entity_type"), entity = q.text("entity_id"),
                             assignee = q.text("assignee"), state = q.text("state");
  const long limit = static_cast<long>(q.integer("limit", 1, kMaxLimit, 50));
  if (type && !is_entity_type(*type))
    q.reject("entity_type", "must be one of contact, property, task, note");
  if (assignee && *assignee == "me") assignee = require_user(req, "assignee=me");
  if (assignee && !looks_like_uuid(*assignee)) q.reject("assignee", "must be a user id or 'me'");
  if (state && *state != "active" && *state != "accepted" && *state != "done" &&
      *state != "reassigned")
    q.reject("state", "must be one of active, accepted, done, reassigned");
  if (!q.errors().empty()) {
    std::vector<http::InvalidParam> bad;
    for (const auto& e : q.errors()) bad.push_back({"query." + e.name, e.reason});
    api::throw_invalid(std::move(bad));
  }
  std::string items = "[";
  api.in_tenant(req, [&](pqxx::transaction_base& tx) {
    items = "[";
    auto rows =
        tx.exec_params(std::string("SELECT ") + kAssignmentJson +
                           " FROM assignments a WHERE ($1::text IS NULL OR a.entity_type = $1)"
                           " AND ($2::text IS NULL OR a.entity_id = $2)"
                           " AND ($3::uuid IS NULL OR a.assignee_id = $3::uuid)"
                           " AND ($4::text IS NULL OR a.state = $4)"
                           " ORDER BY a.created_at DESC, a.id DESC LIMIT $5",
                       type, entity, assignee, state, limit);
    for (std::size_t i = 0; i < rows.size(); ++i)
      items += (i ? "," : "") + rows[i][0].as<std::string>();
  });
  return json_reply(200, "{\"items\":" + items + "]}");
}

}  // namespace

void add_assignment_routes(http::Router& router, const api::ApiContext& api) {
  const api::RouteAccess write{api::Role::agent, kWriteScope};
  const api::RouteAccess read{api::Role::viewer, kReadScope};
  api.route(router, "POST", "/api/v1/assignments", write,
            [&api](const api::ApiRequest& r) { return assign(api, r); });
  api.route(router, "GET", "/api/v1/assignments", read,
            [&api](const api::ApiRequest& r) { return list(api, r); });
  api.route(router, "POST", "/api/v1/assignments/{id}/accept", write,
            [&api](const api::ApiRequest& r) { return transition(api, r, "accepted"); });
  api.route(router, "POST", "/api/v1/assignments/{id}/done", write,
            [&api](const api::ApiRequest& r) { return transition(api, r, "done"); });
}

}  // namespace reos::collaboration
