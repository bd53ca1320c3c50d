#pragma once

// A token-bucket rate limiter: `burst` requests may go at once, then `rate_per_s` per second
// on average. One bucket per tenant connector keeps a plugin within its provider's limits.

#include <chrono>
#include <mutex>
#include <optional>

#include "net/clock.hpp"

namespace reos::net {

/// Thread-safe. Waiting callers are served in the order they reserved (a reservation taken
/// now may run the balance negative; later callers queue behind it), so a burst of threads
/// cannot starve one another.
class TokenBucket {
 public:
  /// `rate_per_s` <= 0 (or not finite) disables limiting: every reservation is granted at
  /// once. `burst` below 1 is treated as 1. The bucket starts full. `clock` must outlive it.
  TokenBucket(double rate_per_s, int burst, Clock& clock);

  /// Takes one token if one is available no later than `deadline`, and returns the instant
  /// from which the caller may proceed (now when a token was in the bucket). Returns nullopt,
  /// taking nothing, when the next token would only come after `deadline`. The caller waits
  /// itself (e.g. Clock::sleep_until), so no lock is held while waiting.
  std::optional<std::chrono::steady_clock::time_point> reserve(
      std::chrono::steady_clock::time_point deadline);

  /// reserve(now): true when a token was taken without waiting.
  bool try_acquire();

  /// The instant at which a reservation made now would be granted (now when a token is
  /// available). Takes nothing.
  std::chrono::steady_clock::time_point next_available();

  /// Tokens in the bucket now (negative while reservations wait for refills).
  double available();

 private:
  void refill_locked(std::chrono::steady_clock::time_point now);
  std::chrono::steady_clock::time_point ready_time_locked(
      std::chrono::steady_clock::time_point now) const;

  const double rate_per_s_;
  const double burst_;
  const bool unlimited_;
  Clock& clock_;
  std::mutex mutex_;
  double tokens_;
  std::chrono::steady_clock::time_point last_refill_;
};

}  // namespace reos::net
