#include "api/idempotency.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <atomic>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "api/deferred_commit.hpp"
#include "db/connection_pool.hpp"
#include "db/tenant_scope.hpp"
#include "log/logger.hpp"

namespace reos::api {
namespace {

std::string to_hex(const unsigned char* data, std::size_t n) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (std::size_t i = 0; i < n; ++i) {
    out += digits[data[i] >> 4];
    out += digits[data[i] & 0xf];
  }
  return out;
}

// What makes two requests "the same": method, path and the exact body bytes.
std::string request_hash(const http::Request& r) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  std::string material = r.method + "\n" + r.path + "\n" + r.body;
  if (EVP_Digest(material.data(), material.size(), digest, &len, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("idempotency: SHA-256 failed");
  return to_hex(digest, len);
}

std::string random_token() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1)
    throw std::runtime_error("idempotency: RAND_bytes failed");
  return to_hex(bytes, sizeof bytes);
}

void validate_key(const std::string& key) {
  std::string reason;
  if (key.empty() || key.size() > 255) reason = "must be 1 to 255 characters";
  for (unsigned char c : key)
    if (c < 0x20 || c == 0x7f) reason = "must not contain control characters";
  if (!reason.empty())
    throw ApiError(400, "Invalid request", "Idempotency-Key " + reason,
                   {{"header.Idempotency-Key", reason}});
}

std::string interval(long seconds) {
  return std::to_string(seconds) + " seconds";
}

}  // namespace

struct IdempotencyStore::Impl {
  db::ConnectionPool& pool;
  Settings settings;
  std::atomic<std::int64_t> next_purge_ns{0};  // steady_clock; 0: purge on first use

  Impl(db::ConnectionPool& p, Settings s) : pool(p), settings(s) {}

  // Runs `fn` in one transaction; in the tenant's scope unless `tenant` is empty.
  template <typename Fn>
  auto in_tx(const std::string& tenant, Fn&& fn) {
    std::optional<db::ConnectionPool::Lease> lease;
    try {
      lease.emplace(pool.acquire(settings.db_acquire_timeout));
    } catch (const std::runtime_error&) {
      throw ApiError(503, "Service Unavailable", "the database is not available");
    }
    pqxx::work tx(**lease);
    if (!tenant.empty()) db::enter_tenant_scope(tx, tenant);
    auto result = fn(tx);
    tx.commit();
    return result;
  }

  void maybe_purge(IdempotencyStore& self) {
    auto now = std::chrono::steady_clock::now().time_since_epoch().count();
    auto due = next_purge_ns.load();
    if (now < due) return;
    auto next = now + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                          settings.purge_interval)
                          .count();
    if (!next_purge_ns.compare_exchange_strong(due, next)) return;  // another thread purges
    try {
      self.purge_expired();
    } catch (const std::exception& e) {
      log::warn("idempotency: purging expired keys failed", {{"error", e.what()}});
    }
  }
};

IdempotencyStore::IdempotencyStore(db::ConnectionPool& pool) : IdempotencyStore(pool, Settings{}) {}

IdempotencyStore::IdempotencyStore(db::ConnectionPool& pool, Settings settings)
    : impl_(std::make_unique<Impl>(pool, settings)) {}

IdempotencyStore::~IdempotencyStore() = default;

std::size_t IdempotencyStore::purge_expired() {
  return impl_->in_tx("", [](pqxx::work& tx) {
    return tx.exec("DELETE FROM idempotency_keys WHERE expires_at < now()").affected_rows();
  });
}

http::Response IdempotencyStore::run(const ApiRequest& req, const std::string& key,
                                     const std::function<http::Response()>& handler) {
  validate_key(key);
  impl_->maybe_purge(*this);
  const std::string& tenant = req.caller.tenant_id;
  const std::string hash = request_hash(req.http);
  const std::string token = random_token();
  const std::string lease = interval(impl_->settings.lease.count());
  const std::string retention =
      interval(std::chrono::duration_cast<std::chrono::seconds>(impl_->settings.retention).count());

  // Claim the key: a new row, or take over an expired one or a same-request claim whose lease
  // ran out (its process died mid-request; nothing it did was stored as done). A concurrent
  // duplicate blocks on the row until this short transaction commits, then sees 'running'.
  std::optional<http::Response> replay;
  bool claimed = impl_->in_tx(tenant, [&](pqxx::work& tx) {
    auto won = tx.exec_params(
        "INSERT INTO idempotency_keys AS k (tenant_id, key, request_hash, state, claim_token,"
        "  lease_until, expires_at)"
        " VALUES ($1, $2, $3, 'running', $4, now() + $5::interval, now() + $6::interval)"
        " ON CONFLICT (tenant_id, key) DO UPDATE SET request_hash = EXCLUDED.request_hash,"
        "  state = 'running', claim_token = EXCLUDED.claim_token,"
        "  lease_until = EXCLUDED.lease_until, expires_at = EXCLUDED.expires_at,"
        "  status = NULL, content_type = NULL, body = NULL, headers = '[]', created_at = now()"
        " WHERE k.expires_at < now()"
        "  OR (k.state = 'running' AND k.lease_until < now() AND k.request_hash = $3)"
        " RETURNING 1",
        tenant, key, hash, token, lease, retention);
    if (!won.empty()) return true;
    auto row = tx.exec_params(
        "SELECT request_hash, state, status, content_type, body, headers::text"
        " FROM idempotency_keys WHERE tenant_id = $1 AND key = $2",
        tenant, key);
    if (row.empty()) throw pqxx::serialization_failure("idempotency key vanished");
    if (row[0][0].as<std::string>() != hash)
      throw ApiError(422, "Unprocessable Content",
                     "this Idempotency-Key was used with a different request (method, path or "
                     "body); use a new key for a new request");
    if (row[0][1].as<std::string>() == "running")
      throw ApiError(409, "Conflict",
                     "a request with this Idempotency-Key is still being processed; retry later");
    http::Response r;
    r.status = row[0][2].as<int>();
    r.content_type = row[0][3].is_null() ? "" : row[0][3].as<std::string>();
    r.body = row[0][4].is_null() ? "" : row[0][4].as<std::string>();
    for (const auto& h : nlohmann::json::parse(row[0][5].as<std::string>()))
      r.headers.emplace_back(h.at(0).get<std::string>(), h.at(1).get<std::string>());
    r.headers.emplace_back("Idempotent-Replayed", "true");
    replay = std::move(r);
    return false;
  });
  if (!claimed) return std::move(*replay);

  // The handler's last transaction is held open (deferred_commit.hpp) and the response is
  // stored in it, so the work and its stored answer commit together.
  const auto release_claim = [&] {
    try {
      impl_->in_tx(tenant, [&](pqxx::work& tx) {
        tx.exec_params(
            "DELETE FROM idempotency_keys WHERE tenant_id = $1 AND key = $2"
            " AND claim_token = $3",
            tenant, key, token);
        return 0;
      });
    } catch (const std::exception& e) {
      log::warn("idempotency: releasing a failed claim failed (it expires with its lease)",
                {{"error", e.what()}});
    }
  };
  DeferredCommitScope scope;
  http::Response response;
  try {
    response = handler();
  } catch (...) {
    // Nothing of the handler's last transaction was committed: running it again is safe.
    scope.rollback();
    release_claim();
    throw;
  }
  nlohmann::json headers = nlohmann::json::array();
  for (const auto& [name, value] : response.headers) headers.push_back({name, value});
  const auto store = [&](pqxx::transaction_base& tx) {
    tx.exec_params(
        "UPDATE idempotency_keys SET state = 'done', status = $4, content_type = $5,"
        " body = $6, headers = $7::jsonb WHERE tenant_id = $1 AND key = $2 AND claim_token = $3",
        tenant, key, token, response.status, response.content_type, response.body, headers.dump());
  };
  if (impl_->settings.before_store) impl_->settings.before_store();
  try {
    if (scope.commit_with(store)) return response;
  } catch (const pqxx::in_doubt_error& e) {
    // The commit may or may not have happened: keep the claim, so that a retry after the
    // lease replays the stored response if it did and runs the handler if it did not.
    log::error("idempotency: the commit of the work and its response is in doubt",
               {{"error", e.what()}, {"tenant", tenant}, {"request_id", req.http.request_id}});
    throw;
  } catch (...) {
    release_claim();  // neither the work nor the response was committed
    throw;
  }
  // The handler used no ApiContext transaction (nothing of it to commit with the response).
  try {
    impl_->in_tx(tenant, [&](pqxx::work& tx) {
      store(tx);
      return 0;
    });
  } catch (const std::exception& e) {
    // Whatever the handler did is done; the client still gets its answer. A retry after the
    // lease may run the handler again — logged so an operator can see it happened.
    log::error("idempotency: storing the response failed",
               {{"error", e.what()}, {"tenant", tenant}, {"request_id", req.http.request_id}});
  }
  return response;
}

}  // namespace reos::api
