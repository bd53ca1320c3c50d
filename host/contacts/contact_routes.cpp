// /api/v1/contacts and /api/v1/contacts/{id}: create, list, read, merge-patch, soft delete.

#include "contacts/contact_routes.hpp"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "api/api_context.hpp"
#include "api/json_body.hpp"
#include "contacts/contact_sql.hpp"
#include "contacts/crud_routes.hpp"
#include "contacts/list_params.hpp"
#include "contacts/tenant_members.hpp"
#include "http/router.hpp"
#include "property_search/property_columns.hpp"
#include "property_search/sql_params.hpp"

namespace reos::contacts {
namespace {

using nlohmann::json;
using property_search::SqlParams;
using property_search::utc_text_sql;

const api::RouteAccess kRead{api::Role::viewer, "contacts:read"};
const api::RouteAccess kWrite{api::Role::agent, "contacts:write"};
const char* kCursorKind = "contacts";

const std::vector<std::string> kStatuses = {"new",    "contacted", "qualified", "nurturing",
                                            "client", "closed",    "lost"};

void check_owner(pqxx::transaction_base& tx, const json& body) {
  const auto it = body.find("owner_user_id");
  if (it == body.end() || it->is_null()) return;
  if (!is_tenant_member(tx, it->get<std::string>())) {
    api::throw_invalid({{"owner_user_id", "is not a member of this tenant"}});
  }
}

// The table's CHECK that a contact keeps something to reach or name it by.
[[noreturn]] void throw_no_identity() {
  api::throw_invalid(
      {{"", "a contact needs at least one of first_name, last_name, email or phone"}});
}

// Runs a write; maps the constraint errors a valid body can still meet to 409 / 400.
void write_in_tenant(const api::ApiContext& api, const api::ApiRequest& req,
                     const std::function<void(pqxx::transaction_base&)>& fn) {
  try {
    api.in_tenant(req, fn);
  } catch (const pqxx::unique_violation&) {
    api::throw_conflict("a contact with this email already exists");
  } catch (const pqxx::check_violation&) {
    throw_no_identity();
  }
}

http::Response create(const api::ApiContext& api, const api::ApiRequest& req) {
  const json body = api::parse_json_body(req.http, "contact", api.settings().max_json_depth);
  std::string contact;
  std::string id;
  write_in_tenant(api, req, [&](pqxx::transaction_base& tx) {
    check_owner(tx, body);
    const pqxx::row row = tx.exec_params1(insert_contact_sql(), body.dump());
    contact = row["contact"].as<std::string>();
    id = row["id"].as<std::string>();
    api.audit(tx, req, {"contact.create", "contact", id, "", contact});
    api.emit_event(tx, req.caller.tenant_id, "contact.created", json{{"contact_id", id}}.dump(),
                   "contact.created:" + id);
  });
  http::Response response = http::json_response(201, contact);
  response.headers.emplace_back("Location", "/api/v1/contacts/" + id);
  return response;
}

// The WHERE clause of a contact listing, from its filters.
std::string list_where(admin_api::QueryParams& params, const api::ApiRequest& req, SqlParams& sql) {
  std::string where = "c.tenant_id = reos_current_tenant() AND c.deleted_at IS NULL";
  if (const auto status = params.text("status")) {
    std::string list;
    for (const std::string& one : split_commas(*status)) {
      if (std::find(kStatuses.begin(), kStatuses.end(), one) == kStatuses.end()) {
        params.reject("status", "unknown status '" + one +
                                    "' (allowed: new, contacted, "
                                    "qualified, nurturing, client, closed, lost)");
        break;
      }
      list += (list.empty() ? "" : ", ") + sql.add(one);
    }
    where += " AND c.status IN (" + (list.empty() ? std::string("NULL") : list) + ")";
  }
  if (const auto owner = user_param(params, "owner", req)) {
    where += " AND c.owner_user_id = " + sql.add(*owner) + "::uuid";
  }
  if (const auto tag = params.text("tag")) {
    where += " AND c.tags @> ARRAY(SELECT jsonb_array_elements_text(" +
             sql.add(json(split_commas(*tag)).dump()) + "::jsonb))";
  }
  if (const auto q = params.text("q")) {
    const std::string p = sql.add(like_pattern(*q));
    where += " AND (c.first_name || ' ' || c.last_name ILIKE " + p + " OR c.email ILIKE " + p +
             " OR c.phone LIKE " + p + ")";
  }
  return where;
}

http::Response list(const api::ApiContext& api, const api::ApiRequest& req) {
  admin_api::QueryParams params(req.http.query, {"status", "owner", "tag", "q", "limit", "cursor"});
  SqlParams sql;
  std::string where = list_where(params, req, sql);
  const PageParams page = page_params(params, kCursorKind);
  throw_if_invalid(params);
  if (page.after) {
    where += " AND (c.created_at, c.id) < (" + sql.add(page.after->value) + "::timestamptz, " +
             sql.add(page.after->id) + "::uuid)";
  }
  const std::string query = "SELECT " + contact_json_sql() + "::text AS item, " +
                            utc_text_sql("c.created_at") +
                            " AS sort_value, c.id::text AS id FROM contacts c WHERE " + where +
                            " ORDER BY c.created_at DESC, c.id DESC LIMIT " +
                            sql.add(std::to_string(page.limit + 1)) + "::bigint";
  std::string body;
  read_page(api, req, [&](pqxx::transaction_base& tx) {
    body = page_json(property_search::exec_with(tx, query, sql), page.limit, kCursorKind);
  });
  return http::json_response(200, body);
}

http::Response get_one(const api::ApiContext& api, const api::ApiRequest& req) {
  const std::string id = path_uuid(req, "contact");
  std::string contact;
  api.in_tenant(req, [&](pqxx::transaction_base& tx) {
    const pqxx::result rows = tx.exec_params(select_contact_sql(), id);
    if (!rows.empty()) contact = rows[0][0].as<std::string>();
  });
  if (contact.empty()) api::throw_not_found("contact " + id);
  return http::json_response(200, contact);
}

http::Response patch(const api::ApiContext& api, const api::ApiRequest& req) {
  const std::string id = path_uuid(req, "contact");
  const json body = api::parse_json_body(req.http, "contact_patch", api.settings().max_json_depth);
  std::string after;
  write_in_tenant(api, req, [&](pqxx::transaction_base& tx) {
    check_owner(tx, body);
    const pqxx::result rows = tx.exec_params(patch_contact_sql(), id, body.dump());
    if (rows.empty()) api::throw_not_found("contact " + id);
    after = rows[0]["after"].as<std::string>();
    api.audit(tx, req,
              {"contact.update", "contact", id, rows[0]["before"].as<std::string>(), after});
  });
  return http::json_response(200, after);
}

http::Response remove(const api::ApiContext& api, const api::ApiRequest& req) {
  const std::string id = path_uuid(req, "contact");
  api.in_tenant(req, [&](pqxx::transaction_base& tx) {
    const pqxx::result rows = tx.exec_params(delete_contact_sql(), id);
    if (rows.empty()) api::throw_not_found("contact " + id);
    api.audit(tx, req, {"contact.delete", "contact", id, rows[0]["before"].as<std::string>(), ""});
  });
  return no_content();
}

}  // namespace

void add_contact_crud_routes(http::Router& router, const api::ApiContext& api) {
  add_crud_routes(router, api, "/api/v1/contacts", kRead, kWrite,
                  {create, list, get_one, patch, remove});
}

void add_contact_routes(http::Router& router, const api::ApiContext& api) {
  add_contact_crud_routes(router, api);
  add_note_routes(router, api);
  add_task_routes(router, api);
}

}  // namespace reos::contacts
