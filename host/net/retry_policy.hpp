#pragma once

// What the outbound HTTP client retries and how long it waits in between. See
// docs/http-client.md for the table; the rules in one place:
//  - idempotent requests (GET, HEAD, OPTIONS, TRACE, PUT, DELETE, or any request carrying
//    an Idempotency-Key header) are retried on 408, 429, 500, 502, 503, 504 and on every
//    transient transport error (connect/resolve/TLS handshake failures, timeouts, resets);
//  - other requests (POST, PATCH, …) only where the server cannot have acted on them:
//    429 and 503 (explicit "not now" answers) and transport errors that happened before any
//    byte of the request was sent;
//  - backoff is "full jitter": delay = random[0, 1) × min(cap, base × 2^retry).

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace reos::net {

/// How one attempt ended when no HTTP response arrived.
enum class TransportFailure {
  before_send,  ///< nothing was sent (DNS, connect, TLS handshake): safe to retry any method
  after_send,   ///< the request may have reached the server (timeout, reset, empty reply)
  permanent,    ///< retrying cannot help (bad URL, unsupported scheme, TLS verification)
};

/// True for the methods RFC 9110 §9.2.2 calls idempotent, or when the request carries an
/// Idempotency-Key header (the provider then de-duplicates a replayed POST itself).
/// `method` is compared case-sensitively, as HTTP methods are.
bool is_idempotent(std::string_view method,
                   const std::vector<std::pair<std::string, std::string>>& headers);

/// Immutable; safe to share between threads.
class RetryPolicy {
 public:
  /// Negative values are treated as 0; a cap below the base is raised to the base.
  RetryPolicy(int max_retries, std::chrono::milliseconds backoff_base,
              std::chrono::milliseconds backoff_cap);

  /// Retries after the first attempt (so at most max_retries() + 1 attempts).
  int max_retries() const { return max_retries_; }

  /// The status calls for another attempt (see the file comment).
  static bool retryable_status(int status, bool idempotent);
  /// The transport failure calls for another attempt.
  static bool retryable_failure(TransportFailure failure, bool idempotent);
  /// The final outcome counts against the dependency's health (circuit breaker): 429, 5xx.
  static bool unhealthy_status(int status) { return status == 429 || status >= 500; }

  /// The wait before retry number `retry` (0 for the first retry): `unit_random` × the
  /// exponential ceiling min(cap, base × 2^retry). `unit_random` must be in [0, 1]; it is
  /// clamped.
  std::chrono::milliseconds backoff(int retry, double unit_random) const;

  /// The ceiling min(cap, base × 2^retry) without jitter.
  std::chrono::milliseconds backoff_ceiling(int retry) const;

 private:
  int max_retries_;
  std::chrono::milliseconds base_;
  std::chrono::milliseconds cap_;
};

}  // namespace reos::net
