#pragma once

// Idempotency-Key for POST requests: the first request with a key runs and its response is
// stored per tenant for 24 hours; a retry with the same key gets the stored response instead
// of doing the work twice (docs/idempotency-and-limits.md).

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "api/api_context.hpp"

namespace reos::api {

/// Backed by the idempotency_keys table (migrations/0012). Thread-safe.
class IdempotencyStore {
 public:
  struct Settings {
    /// How long a stored response answers replays (the row's expires_at).
    std::chrono::hours retention{24};
    /// How long a claim of a still-running request blocks duplicates (409); after that a
    /// retry may take over a claim whose process died mid-request.
    std::chrono::seconds lease{60};
    /// Expired rows of every tenant are deleted at most this often, by whichever request
    /// comes along.
    std::chrono::minutes purge_interval{10};
    std::chrono::milliseconds db_acquire_timeout{2000};
    /// Tests only: called after the handler returned, before its work and the response
    /// commit (a throw here stands for the process dying at that point).
    std::function<void()> before_store;
  };

  explicit IdempotencyStore(db::ConnectionPool& pool);
  IdempotencyStore(db::ConnectionPool& pool, Settings settings);
  ~IdempotencyStore();
  IdempotencyStore(const IdempotencyStore&) = delete;
  IdempotencyStore& operator=(const IdempotencyStore&) = delete;

  /// Runs `handler` at most once per (tenant, key) and stores its response; a replay returns
  /// the stored status/body/content type (+ header Idempotent-Replayed: true); same key with
  /// a different request (method+path+body hash) → ApiError 422; while the first is still
  /// running → ApiError 409. A key longer than 255 characters or with control characters →
  /// ApiError 400. The handler's last ApiContext transaction commits together with the stored
  /// response (deferred_commit.hpp). When `handler` throws, that transaction rolls back, the
  /// claim is released (a retry may run it again) and the exception propagates.
  http::Response run(const ApiRequest& req, const std::string& key,
                     const std::function<http::Response()>& handler);

  /// Deletes expired rows of every tenant now; returns how many. run() calls it on its own
  /// every purge_interval.
  std::size_t purge_expired();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace reos::api
