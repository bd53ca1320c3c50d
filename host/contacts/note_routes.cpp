// /api/v1/contacts/{id}/notes: add a note (its @mentions write note_mentions rows and emit
// one note.mentioned event per mentioned member) and list a contact's notes, newest first.

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "api/api_context.hpp"
#include "api/json_body.hpp"
#include "contacts/contact_routes.hpp"
#include "contacts/list_params.hpp"
#include "contacts/mentions.hpp"
#include "http/router.hpp"
#include "property_search/property_columns.hpp"
#include "property_search/sql_params.hpp"

namespace reos::contacts {
namespace {

using nlohmann::json;
using property_search::utc_text_sql;

const api::RouteAccess kRead{api::Role::viewer, "contacts:read"};
const api::RouteAccess kWrite{api::Role::agent, "contacts:write"};
const char* kCursorKind = "notes";
constexpr std::size_t kExcerptBytes = 200;

std::string note_json_sql() {
  return "json_build_object('id', n.id, 'contact_id', n.contact_id, 'body', n.body,"
         " 'author_user_id', n.author_user_id, 'author_api_key_id', n.author_api_key_id,"
         " 'mentions', coalesce((SELECT json_agg(m.user_id ORDER BY m.user_id) FROM note_mentions m"
         " WHERE m.note_id = n.id), '[]'::json), 'created_at', " +
         utc_text_sql("n.created_at") + ")";
}

void require_contact(pqxx::transaction_base& tx, const std::string& contact_id) {
  if (tx.exec_params("SELECT 1 FROM contacts WHERE id = $1::uuid AND deleted_at IS NULL",
                     contact_id)
          .empty()) {
    api::throw_not_found("contact " + contact_id);
  }
}

// The first bytes of `body` for the event, cut on a UTF-8 character boundary.
std::string excerpt(const std::string& body) {
  if (body.size() <= kExcerptBytes) return body;
  std::size_t end = kExcerptBytes;
  while (end > 0 && (static_cast<unsigned char>(body[end]) & 0xC0) == 0x80) --end;
  return body.substr(0, end) + "…";
}

void notify(const api::ApiContext& api, pqxx::transaction_base& tx, const api::ApiRequest& req,
            const std::string& note_id, const std::string& contact_id, const std::string& body,
            const std::vector<std::string>& users) {
  for (const std::string& user : users) {
    tx.exec_params(
        "INSERT INTO note_mentions (tenant_id, note_id, user_id)"
        " VALUES (reos_current_tenant(), $1::uuid, $2::uuid) ON CONFLICT DO NOTHING",
        note_id, user);
    const json payload{
        {"note_id", note_id},
        {"contact_id", contact_id},
        {"mentioned_user_id", user},
        {"author_user_id",
         req.caller.kind == api::Caller::Kind::user ? json(req.caller.user_id) : json(nullptr)},
        {"excerpt", excerpt(body)}};
    api.emit_event(tx, req.caller.tenant_id, "note.mentioned", payload.dump(),
                   "note.mentioned:" + note_id + ":" + user);
  }
}

http::Response create(const api::ApiContext& api, const api::ApiRequest& req) {
  const std::string contact_id = path_uuid(req, "contact");
  const json body = api::parse_json_body(req.http, "note", api.settings().max_json_depth);
  const std::string text = body.at("body").get<std::string>();
  const bool by_user = req.caller.kind == api::Caller::Kind::user;
  std::string note;
  std::string note_id;
  api.in_tenant(req, [&](pqxx::transaction_base& tx) {
    require_contact(tx, contact_id);
    std::vector<std::string> mentioned = resolve_mentions(tx, mention_tokens(text));
    // Mentioning oneself notifies no one.
    if (by_user)
      mentioned.erase(std::remove(mentioned.begin(), mentioned.end(), req.caller.user_id),
                      mentioned.end());
    note_id = tx.exec_params1(
                    "INSERT INTO notes (tenant_id, contact_id, body, author_user_id,"
                    " author_api_key_id) VALUES (reos_current_tenant(), $1::uuid, $2,"
                    " NULLIF($3, '')::uuid, NULLIF($4, '')::uuid) RETURNING id::text",
                    contact_id, text, by_user ? req.caller.user_id : "",
                    by_user ? "" : req.caller.api_key_id)[0]
                  .as<std::string>();
    notify(api, tx, req, note_id, contact_id, text, mentioned);
    note =
        tx.exec_params1("SELECT " + note_json_sql() + "::text FROM notes n WHERE n.id = $1::uuid",
                        note_id)[0]
            .as<std::string>();
    api.audit(tx, req, {"note.create", "note", note_id, "", note});
  });
  http::Response response = http::json_response(201, note);
  response.headers.emplace_back("Location", "/api/v1/contacts/" + contact_id + "/notes");
  return response;
}

http::Response list(const api::ApiContext& api, const api::ApiRequest& req) {
  const std::string contact_id = path_uuid(req, "contact");
  admin_api::QueryParams params(req.http.query, {"limit", "cursor"});
  const PageParams page = page_params(params, kCursorKind);
  throw_if_invalid(params);
  property_search::SqlParams sql;
  std::string where =
      "n.tenant_id = reos_current_tenant() AND n.contact_id = " + sql.add(contact_id) + "::uuid";
  if (page.after) {
    where += " AND (n.created_at, n.id) < (" + sql.add(page.after->value) + "::timestamptz, " +
             sql.add(page.after->id) + "::uuid)";
  }
  const std::string query = "SELECT " + note_json_sql() + "::text AS item, " +
                            utc_text_sql("n.created_at") +
                            " AS sort_value, n.id::text AS id FROM notes n WHERE " + where +
                            " ORDER BY n.created_at DESC, n.id DESC LIMIT " +
                            sql.add(std::to_string(page.limit + 1)) + "::bigint";
  std::string body;
  read_page(api, req, [&](pqxx::transaction_base& tx) {
    require_contact(tx, contact_id);
    body = page_json(property_search::exec_with(tx, query, sql), page.limit, kCursorKind);
  });
  return http::json_response(200, body);
}

}  // namespace

void add_note_routes(http::Router& router, const api::ApiContext& api) {
  api.route(router, "POST", "/api/v1/contacts/{id}/notes", kWrite,
            [&api](const api::ApiRequest& req) { return create(api, req); });
  api.route(router, "GET", "/api/v1/contacts/{id}/notes", kRead,
            [&api](const api::ApiRequest& req) { return list(api, req); });
}

}  // namespace reos::contacts
