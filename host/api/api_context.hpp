#pragma once

// The contract every REST API module (auth, contacts, property_search, collaboration,
// messaging, …) codes against: who is calling, how a handler gets a tenant-scoped
// transaction, how it reports errors, writes the audit log and emits workflow events.
// Deliberately free of pqxx and nlohmann includes (rule: no heavy header in every file).
//
// A route is registered with ApiContext::route(), which wraps the handler with, in order:
// request-id/problem+json error mapping → body size and JSON depth limits → authentication
// (401) → per-API-key and per-tenant rate limits (429 + Retry-After) → role check (403) →
// Idempotency-Key replay for POST → the handler. See docs/api.md.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "http/http_types.hpp"
#include "http/problem_json.hpp"

namespace pqxx {
class transaction_base;
}
namespace reos::db {
class ConnectionPool;
}
namespace reos::http {
class Router;
}
namespace reos::queue {
class JobQueue;
}

namespace reos::api {

/// Per-tenant membership role; ordered so `role >= Role::agent` reads naturally.
enum class Role { viewer = 0, agent = 1, admin = 2 };

/// "viewer" | "agent" | "admin".
const char* to_string(Role role);
/// Parses a role name; nullopt for anything else.
std::optional<Role> parse_role(const std::string& name);

/// Who is calling, resolved from `Authorization: Bearer <jwt access token>` (a user acting in
/// one tenant) or `Authorization: Bearer reos_<api key>` / `X-Api-Key` (a machine client).
struct Caller {
  enum class Kind { user, api_key };
  Kind kind = Kind::user;
  std::string tenant_id;
  std::string user_id;     ///< the user (kind user); the key's creator or "" (kind api_key)
  std::string api_key_id;  ///< kind api_key only
  Role role = Role::viewer;
  /// API keys: the granted scopes ("contacts:read", "contacts:write", "properties:read", …,
  /// or "*"). Users: empty — a user's permissions come from the role alone.
  std::vector<std::string> scopes;

  /// "user" or "api_key", as stored in audit_log.actor_type.
  const char* actor_type() const { return kind == Kind::user ? "user" : "api_key"; }
  /// user_id or api_key_id, as stored in audit_log.actor_id.
  const std::string& actor_id() const { return kind == Kind::user ? user_id : api_key_id; }
  /// True for users (role decides) and for keys holding `scope` or "*".
  bool has_scope(const std::string& scope) const;
};

/// What a handler sees: the raw request plus the resolved caller and client address.
struct ApiRequest {
  const http::Request& http;
  const Caller& caller;
  std::string client_ip;   ///< peer address (X-Forwarded-For is not trusted)
  std::string user_agent;  ///< "" when absent
};

/// Thrown by handlers (and helpers) to answer with problem+json; anything else thrown
/// becomes a 500 without the exception text.
class ApiError : public std::runtime_error {
 public:
  ApiError(int status, std::string title, std::string detail = "",
           std::vector<http::InvalidParam> invalid_params = {},
           std::vector<std::pair<std::string, std::string>> headers = {});
  const http::Problem& problem() const { return problem_; }
  /// Extra response headers (Retry-After, WWW-Authenticate, …).
  const std::vector<std::pair<std::string, std::string>>& headers() const { return headers_; }

 private:
  http::Problem problem_;
  std::vector<std::pair<std::string, std::string>> headers_;
};

/// 404 "Not Found" — also the answer for an id that exists in another tenant.
[[noreturn]] void throw_not_found(const std::string& what);
/// 400 "Invalid request" listing every bad field (body fields as JSON pointers without the
/// leading '/', e.g. "email", "tags/2"; query parameters as "query.<name>").
[[noreturn]] void throw_invalid(std::vector<http::InvalidParam> invalid_params);
/// 409 "Conflict" with a detail.
[[noreturn]] void throw_conflict(const std::string& detail);
/// 403 "Forbidden" (authenticated, but the role or scope does not allow it).
[[noreturn]] void throw_forbidden(const std::string& detail);

/// One audit_log row for a write. Summaries are JSON text (objects), "" for none.
struct AuditEntry {
  std::string action;       ///< e.g. "contact.create", "approval.approve"
  std::string entity_type;  ///< e.g. "contact"
  std::string entity_id;
  std::string before_json;
  std::string after_json;
};

/// What a route requires before its handler runs.
struct RouteAccess {
  Role min_role = Role::viewer;
  std::string scope;  ///< required API key scope, "" for none
  /// false only for login/refresh/unsubscribe-style routes: the handler then gets an empty
  /// Caller (tenant ""), and only the per-address rate limit applies (like public_route).
  bool authenticated = true;
  bool idempotent_post = true;  ///< POST routes honour Idempotency-Key unless false
};

using ApiHandler = std::function<http::Response(const ApiRequest&)>;
/// Handler for routes with `authenticated = false`; gets no caller.
using PublicHandler = std::function<http::Response(const http::Request&)>;

class Authenticator;     // host/auth: resolves a Caller from the request headers
class RateLimiter;       // host/api/rate_limiter.hpp
class IdempotencyStore;  // host/api/idempotency.hpp

/// Shared state of the REST API; one per process, created by `reos serve` (or a test) and
/// outliving the router. Thread-safe.
class ApiContext {
 public:
  struct Settings {
    std::size_t max_json_depth = 32;
    std::chrono::milliseconds db_acquire_timeout{2000};
  };
  ApiContext(db::ConnectionPool& pool, const queue::JobQueue& queue,
             std::shared_ptr<Authenticator> auth, std::shared_ptr<RateLimiter> limiter,
             std::shared_ptr<IdempotencyStore> idempotency, Settings settings);
  ~ApiContext();

  /// Registers `handler` for (method, pattern) on `router`, wrapped as described at the top.
  void route(http::Router& router, const std::string& method, const std::string& pattern,
             RouteAccess access, ApiHandler handler) const;
  /// For unauthenticated routes (login, refresh, public unsubscribe): limits and errors only.
  void public_route(http::Router& router, const std::string& method, const std::string& pattern,
                    PublicHandler handler) const;

  /// Runs `fn` in one transaction acting for `tenant_id` (db::enter_tenant_scope: role
  /// reos_app, row-level security on) and commits when it returns; rolls back on throw.
  /// During a request with an Idempotency-Key the commit waits for the handler's response,
  /// which is stored in the same transaction (deferred_commit.hpp).
  /// 503 ApiError when no connection can be had. Serialization failures and deadlocks are
  /// retried (up to 3 times), so `fn` must be safe to re-run.
  void in_tenant(const std::string& tenant_id,
                 const std::function<void(pqxx::transaction_base& tx)>& fn) const;
  /// Same, for the caller's tenant.
  void in_tenant(const ApiRequest& req,
                 const std::function<void(pqxx::transaction_base& tx)>& fn) const;
  /// Runs `fn` in a transaction as the owner (no tenant scope) — only for cross-tenant
  /// system work such as login (users are global) and admin tenant management.
  void as_system(const std::function<void(pqxx::transaction_base& tx)>& fn) const;

  /// Appends one audit_log row (actor, tenant, action, entity, before/after, IP, user agent,
  /// request id) in `tx`. Every write a route performs calls this in the same transaction.
  void audit(pqxx::transaction_base& tx, const ApiRequest& req, const AuditEntry& entry) const;

  /// Emits a workflow event: a job of kind `event` ("note.mentioned", "approval.approved",
  /// …) with `payload_json`, enqueued in `tx` with `idempotency_key` so a retried request
  /// emits it once.
  void emit_event(pqxx::transaction_base& tx, const std::string& tenant_id,
                  const std::string& event, const std::string& payload_json,
                  const std::string& idempotency_key) const;

  /// audit() for work without a Caller (login, operator tenant creation): the actor is given.
  void audit_as(pqxx::transaction_base& tx, const std::string& tenant_id,
                const std::string& actor_type, const std::string& actor_id,
                const http::Request& http, const AuditEntry& entry) const;

  db::ConnectionPool& pool() const { return pool_; }
  const queue::JobQueue& queue() const { return queue_; }
  /// The authenticator the routes use (the auth routes issue tokens through it).
  Authenticator& authenticator() const { return *auth_; }
  RateLimiter& limiter() const { return *limiter_; }
  const Settings& settings() const { return settings_; }

 private:
  Caller authenticate_or_charge_address(const http::Request& req) const;

  db::ConnectionPool& pool_;
  const queue::JobQueue& queue_;
  std::shared_ptr<Authenticator> auth_;
  std::shared_ptr<RateLimiter> limiter_;
  std::shared_ptr<IdempotencyStore> idempotency_;
  Settings settings_;
};

}  // namespace reos::api
