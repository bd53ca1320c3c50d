// GET /api/v1/inbox: what needs the signed-in user — their current assignments, the pending
// approvals they may decide, and the notes that mention them (newest first).

#include <pqxx/pqxx>

#include "admin_api/query_params.hpp"
#include "collaboration/route_support.hpp"
#include "http/router.hpp"

namespace reos::collaboration {
namespace {

std::string json_array(const pqxx::result& rows) {
  std::string out = "[";
  for (std::size_t i = 0; i < rows.size(); ++i)
    out += (i ? "," : "") + rows[i][0].as<std::string>();
  return out + "]";
}

http::Response inbox(const api::ApiContext& api, const api::ApiRequest& req) {
  admin_api::QueryParams q(req.http.query, {"limit"});
  const long limit = static_cast<long>(q.integer("limit", 1, kMaxLimit, 50));
  if (!q.errors().empty()) {
    std::vector<http::InvalidParam> bad;
    for (const auto& e : q.errors()) bad.push_back({"query." + e.name, e.reason});
    api::throw_invalid(std::move(bad));
  }
  const std::string& me = require_user(req, "the inbox");
  const bool admin = req.caller.role == api::Role::admin;
  std::string body;
  api.in_tenant(req, [&](pqxx::transaction_base& tx) {
    auto assigned = tx.exec_params(
        "SELECT jsonb_build_object('id', a.id, 'entity_type', a.entity_type, 'entity_id',"
        " a.entity_id, 'state', a.state, 'note', a.note, 'assigned_by', a.assigned_by,"
        " 'created_at', a.created_at)::text FROM assignments a"
        " WHERE a.assignee_id = $1::uuid AND a.state IN ('active', 'accepted')"
        " ORDER BY a.created_at DESC, a.id DESC LIMIT $2",
        me, limit);
    // Named approver, or — for admins — approvals nobody was named for; never one's own.
    auto approvals = tx.exec_params(
        "SELECT jsonb_build_object('id', p.id, 'entity_type', p.entity_type, 'entity_id',"
        " p.entity_id, 'requested_by', p.requested_by, 'approver_id', p.approver_id,"
        " 'request_note', p.request_note, 'created_at', p.created_at)::text FROM approvals p"
        " WHERE p.status = 'pending' AND p.requested_by <> $1"
        " AND (p.approver_id = $1::uuid OR (p.approver_id IS NULL AND $2))"
        " ORDER BY p.created_at DESC, p.id DESC LIMIT $3",
        me, admin, limit);
    auto mentions = tx.exec_params(
        "SELECT jsonb_build_object('note_id', m.note_id, 'contact_id', n.contact_id,"
        " 'author_user_id', n.author_user_id, 'excerpt', left(n.body, 200),"
        " 'created_at', m.created_at)::text FROM note_mentions m JOIN notes n ON n.id = m.note_id"
        " WHERE m.user_id = $1::uuid ORDER BY m.created_at DESC, m.note_id DESC LIMIT $2",
        me, limit);
    body = "{\"assignments\":" + json_array(assigned) + ",\"approvals\":" + json_array(approvals) +
           ",\"mentions\":" + json_array(mentions) + "}";
  });
  return json_reply(200, body);
}

}  // namespace

void add_inbox_route(http::Router& router, const api::ApiContext& api) {
  api.route(router, "GET", "/api/v1/inbox", {api::Role::viewer, kReadScope},
            [&api](const api::ApiRequest& r) { return inbox(api, r); });
}

}  // namespace reos::collaboration
