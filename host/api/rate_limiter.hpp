#pragma once

// Token-bucket rate limits for the REST API: one bucket per API key, per tenant, and per
// client IP (for the unauthenticated login/refresh routes). The buckets live in process
// memory, so the limits apply per `reos serve` process: N processes behind a load balancer
// allow up to N times the configured rates (docs/idempotency-and-limits.md).

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "api/api_context.hpp"

namespace reos::api {

/// Thread-safe. Memory stays bounded: buckets that have refilled completely (and so behave
/// exactly like a new one) are dropped, and past `max_buckets` the least recently used go.
class RateLimiter {
 public:
  /// Rates in requests per second, bursts in requests; a rate <= 0 disables that limit.
  struct Settings {
    double per_key_rps = 50, per_key_burst = 100, per_tenant_rps = 200, per_tenant_burst = 400,
           per_ip_rps = 20, per_ip_burst = 40;
  };
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  explicit RateLimiter(Settings s);
  /// With an injected monotonic clock (tests) and a cap on the number of live buckets.
  RateLimiter(Settings s, Clock clock, std::size_t max_buckets = 100000);
  ~RateLimiter();
  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  /// Takes one token from the caller's API key bucket (if kind api_key) and the tenant
  /// bucket; nullopt = allowed, else how long to wait (→ 429 + Retry-After seconds, rounded
  /// up). A refused call takes no token from either bucket.
  std::optional<std::chrono::milliseconds> acquire(const Caller& caller);
  /// For unauthenticated routes (login, refresh): per client IP.
  std::optional<std::chrono::milliseconds> acquire_ip(const std::string& ip);

  /// Buckets currently held (for tests and metrics).
  std::size_t bucket_count() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Retry-After value for a wait: whole seconds, rounded up, at least 1.
long retry_after_seconds(std::chrono::milliseconds wait);

}  // namespace reos::api
