// API keys for machine clients (docs/auth.md "API keys"):
//   POST   /api/v1/admin/api-keys        → the key "reos_<prefix>_<secret>", shown this once
//   GET    /api/v1/admin/api-keys        → every key of the tenant (never the secret)
//   DELETE /api/v1/admin/api-keys/{id}   → revoked at once (the row stays for the audit trail)
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "api/api_context.hpp"
#include "api/json_body.hpp"
#include "auth/auth_routes.hpp"
#include "auth/route_helpers.hpp"
#include "auth/secret_token.hpp"
#include "http/router.hpp"

namespace reos::auth {
namespace {

using nlohmann::json;

constexpr const char* kKeyJson =
    "json_build_object('id', id, 'name', name, 'prefix', prefix, 'scopes', scopes, 'role', role,"
    " 'created_by', created_by, 'created_at', created_at, 'expires_at', expires_at,"
    " 'last_used_at', last_used_at, 'revoked_at', revoked_at)::text";

std::string pg_text_array(const json& items) {
  // Scopes are validated by the schema (no quotes or commas), but quote anyway.
  std::string out = "{";
  for (std::size_t i = 0; i < items.size(); ++i) {
    std::string s = items[i].get<std::string>();
    std::string quoted = "\"";
    for (char c : s) {
      if (c == '"' || c == '\\') quoted += '\\';
      quoted += c;
    }
    out += (i ? "," : "") + quoted + "\"";
  }
  return out + "}";
}

http::Response create_key(const api::ApiContext& api, const api::ApiRequest& req) {
  const json body =
      api::parse_json_body(req.http, "admin_api_key_create", api.settings().max_json_depth);
  const std::string role = body.value("role", "agent");
  if (api::parse_role(role).value_or(api::Role::admin) > req.caller.role) {
    api::throw_forbidden("a key cannot have a higher role than its creator");
  }
  // The prefix is public (listings, logs); only the secret's SHA-256 is stored.
  const std::string prefix = "reos_" + random_hex(6);
  const std::string secret = random_hex(24);
  std::string created;
  // A date the pattern lets through but the calendar does not (2026-02-30) fails the cast.
  const std::string expires_at = body.value("expires_at", "");
  if (!expires_at.empty()) {
    api.as_system([&](pqxx::transaction_base& tx) {
      try {
        tx.exec_params("SELECT $1::timestamptz", expires_at);
      } catch (const pqxx::data_exception&) {
        api::throw_invalid({{"expires_at", "not a valid date-time"}});
      }
    });
  }
  api.in_tenant(req, [&](pqxx::transaction_base& tx) {
    created =
        tx.exec_params1(
              std::string("INSERT INTO api_keys (tenant_id, name, prefix, key_hash, scopes, role,"
                          " created_by, expires_at)"
                          " VALUES ($1, $2, $3, decode($4, 'hex'), $5::text[], $6,"
                          " NULLIF($7, '')::uuid, NULLIF($8, '')::timestamptz) RETURNING ") +
                  kKeyJson,
              req.caller.tenant_id, body["name"].get<std::string>(), prefix, sha256_hex(secret),
              pg_text_array(body["scopes"]), role,
              req.caller.kind == api::Caller::Kind::user ? req.caller.user_id : "", expires_at)[0]
            .as<std::string>();
    const json row = json::parse(created);
    api.audit(tx, req, {"api_key.create", "api_key", row["id"].get<std::string>(), "", created});
  });
  json out = json::parse(created);
  out["key"] = prefix + "_" + secret;
  http::Response r = http::json_response(201, out.dump());
  r.headers.push_back({"Cache-Control", "no-store"});
  return r;
}

http::Response list_keys(const api::ApiContext& api, const api::ApiRequest& req) {
  std::string items;
  api.in_tenant(req, [&](pqxx::transaction_base& tx) {
    items.clear();
    for (const auto& row :
         tx.exec(std::string("SELECT ") + kKeyJson + " FROM api_keys ORDER BY created_at, id")) {
      items += (items.empty() ? "" : ",") + row[0].as<std::string>();
    }
  });
  return http::json_response(200, "{\"items\":[" + items + "],\"next_cursor\":null}");
}

http::Response revoke_key(const api::ApiContext& api, const api::ApiRequest& req) {
  const std::string id = path_param(req.http, "id");
  if (!is_uuid(id)) api::throw_not_found("API key");
  api.in_tenant(req, [&](pqxx::transaction_base& tx) {
    const pqxx::result before = tx.exec_params(std::string("SELECT ") + kKeyJson +
                                                   ", revoked_at IS NOT NULL FROM api_keys"
                                                   " WHERE id = $1::uuid FOR UPDATE",
                                               id);
    if (before.empty()) api::throw_not_found("API key");
    if (before[0][1].as<bool>()) return;  // already revoked: DELETE is idempotent
    const std::string after = tx.exec_params1(std::string("UPDATE api_keys SET revoked_at = now()"
                                                          " WHERE id = $1::uuid RETURNING ") +
                                                  kKeyJson,
                                              id)[0]
                                  .as<std::string>();
    api.audit(tx, req, {"api_key.revoke", "api_key", id, before[0][0].as<std::string>(), after});
  });
  return no_content();
}

}  // namespace

void add_api_key_routes(http::Router& router, const api::ApiContext& api) {
  const api::RouteAccess read{api::Role::admin, "admin:read", true, true};
  const api::RouteAccess write{api::Role::admin, "admin:write", true, true};
  api.route(router, "POST", "/api/v1/admin/api-keys", write,
            [&api](const api::ApiRequest& req) { return create_key(api, req); });
  api.route(router, "GET", "/api/v1/admin/api-keys", read,
            [&api](const api::ApiRequest& req) { return list_keys(api, req); });
  api.route(router, "DELETE", "/api/v1/admin/api-keys/{id}", write,
            [&api](const api::ApiRequest& req) { return revoke_key(api, req); });
}

}  // namespace reos::auth
