// /api/v1/suppressions: list, add, and remove the addresses no message is sent to.

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "admin_api/query_params.hpp"
#include "api/api_context.hpp"
#include "api/json_body.hpp"
#include "contacts/list_params.hpp"
#include "http/router.hpp"
#include "messaging/message_address.hpp"
#include "messaging/messaging_routes.hpp"
#include "messaging/suppression_store.hpp"
#include "property_search/page_cursor.hpp"
#include "property_search/property_columns.hpp"
#include "property_search/sql_params.hpp"

namespace reos::messaging {
namespace {

using nlohmann::json;

const api::RouteAccess kRead{api::Role::viewer, "messages:read"};
const api::RouteAccess kWrite{api::Role::agent, "messages:write"};
// Lifting a suppression can break an opt-out promise: admins only.
const api::RouteAccess kLift{api::Role::admin, "messages:write"};
const char* kCursorKind = "suppressions";

std::string suppression_json_sql() {
  return "jsonb_build_object('channel', s.channel, 'address', s.address, 'reason', s.reason,"
         " 'source', s.source, 'message_id', s.message_id, 'detail', s.detail, 'created_at', " +
         property_search::utc_text_sql("s.created_at") + ")";
}

std::string select_one(pqxx::transaction_base& tx, const std::string& channel,
                       const std::string& address) {
  return tx
      .exec_params1("SELECT " + suppression_json_sql() +
                        "::text FROM suppressions s WHERE s.tenant_id = reos_current_tenant()"
                        " AND s.channel = $1 AND s.address = $2",
                    channel, address)[0]
      .as<std::string>();
}

http::Response list(const api::ApiContext& api, const api::ApiRequest& req) {
  admin_api::QueryParams params(req.http.query,
                                {"channel", "address", "reason", "limit", "cursor"});
  property_search::SqlParams sql;
  std::string where = "s.tenant_id = reos_current_tenant()";
  const auto channel = params.text("channel");
  if (channel) {
    if (*channel != "email" && *channel != "sms") params.reject("channel", "must be email or sms");
    where += " AND s.channel = " + sql.add(*channel);
  }
  if (const auto address = params.text("address")) {
    const std::string ch = channel ? *channel : (address->rfind('+', 0) == 0 ? "sms" : "email");
    const std::string normalized = normalize_address(ch, *address);
    if (normalized.empty()) params.reject("address", "not an " + ch + " address");
    where += " AND s.address = " + sql.add(normalized);
  }
  if (const auto reason = params.text("reason")) where += " AND s.reason = " + sql.add(*reason);
  const long limit = params.integer("limit", 1, contacts::kMaxPageSize, contacts::kDefaultPageSize);
  if (const auto cursor = params.text("cursor")) {
    const auto parts = property_search::decode_cursor(*cursor);
    if (!parts || parts->size() != 4 || (*parts)[0] != kCursorKind || !(*parts)[1] ||
        !(*parts)[2] || !(*parts)[3]) {
      params.reject("cursor", "not a cursor of this listing");
    } else {
      where += " AND (s.created_at, s.channel, s.address) < (" + sql.add(*(*parts)[1]) +
               "::timestamptz, " + sql.add(*(*parts)[2]) + ", " + sql.add(*(*parts)[3]) + ")";
    }
  }
  contacts::throw_if_invalid(params);
  const std::string query = "SELECT " + suppression_json_sql() + "::text, " +
                            property_search::utc_text_sql("s.created_at") +
                            ", s.channel, s.address FROM suppressions s WHERE " + where +
                            " ORDER BY s.created_at DESC, s.channel DESC, s.address DESC LIMIT " +
                            sql.add(std::to_string(limit + 1)) + "::bigint";
  std::string body = "{\"items\":[";
  contacts::read_page(api, req, [&](pqxx::transaction_base& tx) {
    const pqxx::result rows = property_search::exec_with(tx, query, sql);
    const long kept = std::min<long>(static_cast<long>(rows.size()), limit);
    for (long i = 0; i < kept; ++i) body += (i ? "," : "") + rows[i][0].as<std::string>();
    body += "],\"next_cursor\":";
    if (static_cast<long>(rows.size()) <= kept) {
      body += "null}";
    } else {
      const pqxx::row last = rows[kept - 1];
      body +=
          "\"" +
          property_search::encode_cursor({std::string(kCursorKind), last[1].as<std::string>(),
                                          last[2].as<std::string>(), last[3].as<std::string>()}) +
          "\"}";
    }
  });
  return http::json_response(200, body);
}

http::Response add(const api::ApiContext& api, const api::ApiRequest& req) {
  const json body = api::parse_json_body(req.http, "suppression", api.settings().max_json_depth);
  const std::string channel = body["channel"];
  const std::string address = normalize_address(channel, body["address"]);
  if (address.empty()) {
    api::throw_invalid(
        {{"address", channel == "email" ? "must be an email address like name@example.com"
                                        : "must be an E.164 phone number like +14155550123"}});
  }
  bool created = false;
  std::string out;
  api.in_tenant(req, [&](pqxx::transaction_base& tx) {
    created = add_suppression(
        tx, req.caller.tenant_id,
        {channel, address, body.value("reason", "manual"), "api", "", body.value("detail", "")});
    out = select_one(tx, channel, address);
    if (created)
      api.audit(tx, req, {"suppression.create", "suppression", channel + ":" + address, "", out});
  });
  return http::json_response(created ? 201 : 200, out);
}

http::Response lift(const api::ApiContext& api, const api::ApiRequest& req) {
  const std::string channel = req.http.path_params.at("channel");
  const std::string address = normalize_address(channel, req.http.path_params.at("address"));
  if (address.empty()) api::throw_not_found("suppression");
  bool removed = false;
  api.in_tenant(req, [&](pqxx::transaction_base& tx) {
    const pqxx::result before =
        tx.exec_params("SELECT " + suppression_json_sql() +
                           "::text FROM suppressions s WHERE s.tenant_id = reos_current_tenant()"
                           " AND s.channel = $1 AND s.address = $2",
                       channel, address);
    removed = remove_suppression(tx, req.caller.tenant_id, channel, address);
    if (removed) {
      api.audit(tx, req,
                {"suppression.delete", "suppression", channel + ":" + address,
                 before[0][0].as<std::string>(), ""});
    }
  });
  if (!removed) api::throw_not_found("suppression " + channel + "/" + address);
  http::Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

}  // namespace

void add_suppression_routes(http::Router& router, const api::ApiContext& api) {
  const api::ApiContext* a = &api;
  api.route(router, "GET", "/api/v1/suppressions", kRead,
            [a](const api::ApiRequest& req) { return list(*a, req); });
  api.route(router, "POST", "/api/v1/suppressions", kWrite,
            [a](const api::ApiRequest& req) { return add(*a, req); });
  api.route(router, "DELETE", "/api/v1/suppressions/{channel}/{address}", kLift,
            [a](const api::ApiRequest& req) { return lift(*a, req); });
}

}  // namespace reos::messaging
