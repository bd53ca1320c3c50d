#include "api/api_context.hpp"

#include <algorithm>
#include <memory>
#include <pqxx/pqxx>

#include "api/deferred_commit.hpp"
#include "db/connection_pool.hpp"
#include "db/tenant_scope.hpp"
#include "log/logger.hpp"
#include "queue/job_queue.hpp"

namespace reos::api {
namespace {

// Serialization failures and deadlocks are the database asking for a retry.
constexpr int kMaxAttempts = 4;

db::ConnectionPool::Lease lease_or_503(db::ConnectionPool& pool,
                                       std::chrono::milliseconds timeout) {
  try {
    return pool.acquire(timeout);
  } catch (const std::exception& e) {
    log::warn("api: no database connection", {{"error", e.what()}});
    throw ApiError(503, "Service Unavailable", "the database is busy or unreachable; retry later",
                   {}, {{"Retry-After", "1"}});
  }
}

void run_transaction(db::ConnectionPool& pool, std::chrono::milliseconds timeout,
                     const std::string& tenant_id,
                     const std::function<void(pqxx::transaction_base&)>& fn) {
  // A request with an Idempotency-Key commits its handler's earlier transaction before the
  // next begins, and its last one together with the stored response (deferred_commit.hpp).
  DeferredCommitScope::commit_held();
  for (int attempt = 1;; ++attempt) {
    db::ConnectionPool::Lease lease = lease_or_503(pool, timeout);
    try {
      auto tx = std::make_unique<pqxx::work>(*lease);
      if (!tenant_id.empty()) db::enter_tenant_scope(*tx, tenant_id);
      fn(*tx);
      if (DeferredCommitScope::active()) {
        DeferredCommitScope::hold(std::move(lease), std::move(tx));
      } else {
        tx->commit();
      }
      return;
    } catch (const pqxx::transaction_rollback& e) {
      if (attempt >= kMaxAttempts) throw;
      log::debug("api: retrying transaction", {{"error", e.what()}});
    } catch (const pqxx::broken_connection&) {
      throw ApiError(503, "Service Unavailable", "the database connection was lost; retry later",
                     {}, {{"Retry-After", "1"}});
    }
  }
}

// "" stays SQL NULL; anything else must be JSON (the column is jsonb).
std::optional<std::string> json_or_null(const std::string& text) {
  if (text.empty()) return std::nullopt;
  return text;
}

}  // namespace

const char* to_string(Role role) {
  switch (role) {
    case Role::viewer:
      return "viewer";
    case Role::agent:
      return "agent";
    case Role::admin:
      return "admin";
  }
  return "viewer";
}

std::optional<Role> parse_role(const std::string& name) {
  if (name == "viewer") return Role::viewer;
  if (name == "agent") return Role::agent;
  if (name == "admin") return Role::admin;
  return std::nullopt;
}

bool Caller::has_scope(const std::string& scope) const {
  if (kind == Kind::user || scope.empty()) return true;
  return std::any_of(scopes.begin(), scopes.end(),
                     [&](const std::string& s) { return s == "*" || s == scope; });
}

ApiError::ApiError(int status, std::string title, std::string detail,
                   std::vector<http::InvalidParam> invalid_params,
                   std::vector<std::pair<std::string, std::string>> headers)
    : std::runtime_error(title + (detail.empty() ? "" : ": " + detail)),
      headers_(std::move(headers)) {
  problem_.status = status;
  problem_.title = std::move(title);
  problem_.detail = std::move(detail);
  problem_.invalid_params = std::move(invalid_params);
}

void throw_not_found(const std::string& what) {
  throw ApiError(404, "Not Found", what + " not found");
}

void throw_invalid(std::vector<http::InvalidParam> invalid_params) {
  throw ApiError(400, "Invalid request", "the request has invalid fields; see invalid_params",
                 std::move(invalid_params));
}

void throw_conflict(const std::string& detail) {
  throw ApiError(409, "Conflict", detail);
}

void throw_forbidden(const std::string& detail) {
  throw ApiError(403, "Forbidden", detail);
}

ApiContext::ApiContext(db::ConnectionPool& pool, const queue::JobQueue& queue,
                       std::shared_ptr<Authenticator> auth, std::shared_ptr<RateLimiter> limiter,
                       std::shared_ptr<IdempotencyStore> idempotency, Settings settings)
    : pool_(pool),
      queue_(queue),
      auth_(std::move(auth)),
      limiter_(std::move(limiter)),
      idempotency_(std::move(idempotency)),
      settings_(settings) {
  if (!auth_ || !limiter_ || !idempotency_) {
    throw std::invalid_argument(
        "ApiContext: authenticator, limiter and idempotency store are required");
  }
}

ApiContext::~ApiContext() = default;

void ApiContext::in_tenant(const std::string& tenant_id,
                           const std::function<void(pqxx::transaction_base& tx)>& fn) const {
  if (tenant_id.empty()) throw std::invalid_argument("in_tenant: empty tenant id");
  run_transaction(pool_, settings_.db_acquire_timeout, tenant_id, fn);
}

void ApiContext::in_tenant(const ApiRequest& req,
                           const std::function<void(pqxx::transaction_base& tx)>& fn) const {
  in_tenant(req.caller.tenant_id, fn);
}

void ApiContext::as_system(const std::function<void(pqxx::transaction_base& tx)>& fn) const {
  run_transaction(pool_, settings_.db_acquire_timeout, "", fn);
}

void ApiContext::audit(pqxx::transaction_base& tx, const ApiRequest& req,
                       const AuditEntry& entry) const {
  audit_as(tx, req.caller.tenant_id, req.caller.actor_type(), req.caller.actor_id(), req.http,
           entry);
}

void ApiContext::audit_as(pqxx::transaction_base& tx, const std::string& tenant_id,
                          const std::string& actor_type, const std::string& actor_id,
                          const http::Request& http, const AuditEntry& entry) const {
  tx.exec_params(
      "INSERT INTO audit_log (tenant_id, actor_type, actor_id, action, entity_type, entity_id,"
      " before, after, ip, user_agent, request_id)"
      " VALUES ($1, $2, NULLIF($3, ''), $4, NULLIF($5, ''), NULLIF($6, ''), $7::jsonb, $8::jsonb,"
      " NULLIF($9, ''), NULLIF($10, ''), NULLIF($11, ''))",
      tenant_id, actor_type, actor_id, entry.action, entry.entity_type, entry.entity_id,
      json_or_null(entry.before_json), json_or_null(entry.after_json), http.remote_addr,
      http.header("user-agent"), http.request_id);
}

void ApiContext::emit_event(pqxx::transaction_base& tx, const std::string& tenant_id,
                            const std::string& event, const std::string& payload_json,
                            const std::string& idempotency_key) const {
  queue_.enqueue(tx, tenant_id, event, payload_json, idempotency_key);
}

}  // namespace reos::api
