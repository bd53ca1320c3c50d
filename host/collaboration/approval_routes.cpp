// POST/GET /api/v1/approvals and the decisions. pending → approved | rejected | cancelled is
// enforced by the database: decisions are conditional updates (`WHERE status = 'pending'`)
// and a trigger refuses any change to a decided row, so of two concurrent decisions exactly
// one commits and the other answers 409 (docs/collaboration.md).

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

// The API shape of one approvals row aliased `p`, rendered by the database.
constexpr const char* kApprovalJson =
    "jsonb_build_object('id', p.id, 'entity_type', p.entity_type, 'entity_id', p.entity_id,"
    " 'status', p.status, 'requested_by', p.requested_by, 'requester_type', p.requester_type,"
    " 'approver_id', p.approver_id, 'request_note', p.request_note, 'decided_by', p.decided_by,"
    " 'decision_note', p.decision_note, 'decided_at', p.decided_at, 'created_at', p.created_at,"
    " 'updated_at', p.updated_at)::text";

std::string event_payload(const api::ApiRequest& req, const std::string& approval_json) {
  return nlohmann::json{{"tenant_id", req.caller.tenant_id},
                        {"actor_type", req.caller.actor_type()},
                        {"actor_id", req.caller.actor_id()},
                        {"approval", nlohmann::json::parse(approval_json)}}
      .dump();
}

// The body, or an empty object when the client sent none (the note is optional).
nlohmann::json optional_body(const http::Request& http, const std::string& schema) {
  if (!http.body.empty()) return api::parse_json_body(http, schema, kMaxDepth);
  http::Request copy = http;
  copy.body = "{}";
  return api::parse_json_body(copy, schema, kMaxDepth);
}

http::Response request_review(const api::ApiContext& api, const api::ApiRequest& req) {
  const nlohmann::json body = api::parse_json_body(req.http, "approval_create", kMaxDepth);
  const std::string type = body.at("entity_type").get<std::string>();
  const std::string entity = body.at("entity_id").get<std::string>();
  const std::optional<std::string> approver =
      body.contains("approver_id")
          ? std::optional<std::string>(body["approver_id"].get<std::string>())
          : std::nullopt;
  std::vector<http::InvalidParam> bad;
  check_entity_ref(type, entity, bad);
  if (approver && *approver == req.caller.actor_id())
    bad.push_back({"approver_id", "must not be the requester (nobody approves their own request)"});
  if (!bad.empty()) api::throw_invalid(std::move(bad));

  std::string created;
  in_tenant_checked(
      api, req, "a review of this entity is already pending", [&](pqxx::transaction_base& tx) {
        if (!entity_exists(tx, type, entity)) api::throw_not_found(type);
        if (approver && !is_acting_member(tx, *approver))
          api::throw_invalid({{"approver_id", "is not an agent or admin of this tenant"}});
        auto row = tx.exec_params(
            std::string(
                "INSERT INTO approvals AS p (tenant_id, entity_type, entity_id, requested_by,"
                " requester_type, approver_id, request_note) VALUES (reos_current_tenant(),"
                " $1, $2, $3, $4, $5::uuid, $6) RETURNING p.id::text, ") +
                kApprovalJson,
            type, entity, req.caller.actor_id(), std::string(req.caller.actor_type()), approver,
            body.value("note", ""));
        const std::string id = row[0][0].as<std::string>();
        created = row[0][1].as<std::string>();
        api.audit(tx, req, {"approval.request", "approval", id, "", created});
        api.emit_event(tx, req.caller.tenant_id, "approval.requested", event_payload(req, created),
                       "approval.requested:" + id);
      });
  http::Response r = json_reply(201, created);
  r.headers.emplace_back(
      "Location",
      "/api/v1/approvals/" + nlohmann::json::parse(created).at("id").get<std::string>());
  return r;
}

// Who may move a pending approval to `to`: the requester cancels; the named approver decides,
// or — when none was named — any tenant admin; never the requester.
void check_may_decide(const api::ApiRequest& req, const std::string& to,
                      const std::string& requested_by, const std::string& approver) {
  const bool is_requester = req.caller.actor_id() == requested_by;
  if (to == "cancelled") {
    if (!is_requester) api::throw_forbidden("only the requester can cancel an approval");
    return;
  }
  if (is_requester) api::throw_forbidden("the requester cannot decide their own approval");
  if (!approver.empty()) {
    if (req.caller.kind != api::Caller::Kind::user || req.caller.user_id != approver)
      api::throw_forbidden("only the named approver can decide this approval");
  } else if (req.caller.role != api::Role::admin) {
    api::throw_forbidden("an approval without a named approver is decided by a tenant admin");
  }
}

http::Response decide(const api::ApiContext& api, const api::ApiRequest& req,
                      const std::string& to) {
  const std::string id = path_uuid(req, "approval");
  const nlohmann::json body =
      optional_body(req.http, to == "rejected" ? "approval_rejection" : "approval_decision");
  const std::string note = body.value("note", "");
  std::string after;
  in_tenant_checked(api, req, "conflicting change", [&](pqxx::transaction_base& tx) {
    // No lock here on purpose: the conditional UPDATE below is what settles a race.
    auto row =
        tx.exec_params(std::string("SELECT p.requested_by, coalesce(p.approver_id::text, ''),"
                                   " p.status, ") +
                           kApprovalJson + " FROM approvals p WHERE p.id = $1",
                       id);
    if (row.empty()) api::throw_not_found("approval");
    check_may_decide(req, to, row[0][0].as<std::string>(), row[0][1].as<std::string>());
    if (row[0][2].as<std::string>() != "pending")
      api::throw_conflict("the approval is already " + row[0][2].as<std::string>());
    auto updated = tx.exec_params(
        std::string("UPDATE approvals p SET status = $2, decided_by = $3, decision_note = $4,"
                    " decided_at = now() WHERE p.id = $1 AND p.status = 'pending' RETURNING ") +
            kApprovalJson,
        id, to, req.caller.actor_id(), note);
    if (updated.empty()) api::throw_conflict("the approval was decided by a concurrent request");
    after = updated[0][0].as<std::string>();
    const std::string verb = to == "approved" ? "approve" : to == "rejected" ? "reject" : "cancel";
    api.audit(tx, req, {"approval." + verb, "approval", id, row[0][3].as<std::string>(), after});
    api.emit_event(tx, req.caller.tenant_id, "approval." + to, event_payload(req, after),
                   "approval." + to + ":" + id);
  });
  return json_reply(200, after);
}

http::Response get_one(const api::ApiContext& api, const api::ApiRequest& req) {
  const std::string id = path_uuid(req, "approval");
  std::string found;
  api.in_tenant(req, [&](pqxx::transaction_base& tx) {
    auto row = tx.exec_params(
        std::string("SELECT ") + kApprovalJson + " FROM approvals p WHERE p.id = $1", id);
    if (row.empty()) api::throw_not_found("approval");
    found = row[0][0].as<std::string>();
  });
  return json_reply(200, found);
}

// GET /api/v1/approvals: newest first.
http::Response list(const api::ApiContext& api, const api::ApiRequest& req) {
  admin_api::QueryParams q(req.http.query,
                           {"status", "entity_type", "entity_id", "approver", "limit"});
  std::optional<std::string> status = q.text("status"), type = q.text("entity_type"),
                             entity = q.text("entity_id"), approver = q.text("approver");
  const long limit = static_cast<long>(q.integer("limit", 1, kMaxLimit, 50));
  if (status && *status != "pending" && *status != "approved" && *status != "rejected" &&
      *status != "cancelled")
    q.reject("status", "must be one of pending, approved, rejected, cancelled");
  if (type && !is_entity_type(*type))
    q.reject("entity_type", "must be one of contact, property, task, note");
  if (approver && *approver == "me") approver = require_user(req, "approver=me");
  if (approver && !looks_like_uuid(*approver)) q.reject("approver", "must be a user id or 'me'");
  if (!q.errors().empty()) {
    std::vector<http::InvalidParam> bad;
    for (const auto& e : q.errors()) bad.push_back({"query." + e.name, e.reason});
    api::throw_invalid(std::move(bad));
  }
  std::string items;
  api.in_tenant(req, [&](pqxx::transaction_base& tx) {
    items.clear();
    auto rows = tx.exec_params(std::string("SELECT ") + kApprovalJson +
                                   " FROM approvals p WHERE ($1::text IS NULL OR p.status = $1)"
                                   " AND ($2::text IS NULL OR p.entity_type = $2)"
                                   " AND ($3::text IS NULL OR p.entity_id = $3)"
                                   " AND ($4::uuid IS NULL OR p.approver_id = $4::uuid)"
                                   " ORDER BY p.created_at DESC, p.id DESC LIMIT $5",
                               status, type, entity, approver, limit);
    for (std::size_t i = 0; i < rows.size(); ++i)
      items += (i ? "," : "") + rows[i][0].as<std::string>();
  });
  return json_reply(200, "{\"items\":[" + items + "]}");
}

}  // namespace

void add_approval_routes(http::Router& router, const api::ApiContext& api) {
  const api::RouteAccess write{api::Role::agent, kWriteScope};
  const api::RouteAccess read{api::Role::viewer, kReadScope};
  api.route(router, "POST", "/api/v1/approvals", write,
            [&api](const api::ApiRequest& r) { return request_review(api, r); });
  api.route(router, "GET", "/api/v1/approvals", read,
            [&api](const api::ApiRequest& r) { return list(api, r); });
  api.route(router, "GET", "/api/v1/approvals/{id}", read,
            [&api](const api::ApiRequest& r) { return get_one(api, r); });
  api.route(router, "POST", "/api/v1/approvals/{id}/approve", write,
            [&api](const api::ApiRequest& r) { return decide(api, r, "approved"); });
  api.route(router, "POST", "/api/v1/approvals/{id}/reject", write,
            [&api](const api::ApiRequest& r) { return decide(api, r, "rejected"); });
  api.route(router, "POST", "/api/v1/approvals/{id}/cancel", write,
            [&api](const api::ApiRequest& r) { return decide(api, r, "cancelled"); });
}

}  // namespace reos::collaboration
