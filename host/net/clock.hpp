#pragma once

// The time source of the outbound HTTP client, its rate limiter and its circuit breaker.
// Production code uses real_clock(); tests inject a manual clock so that backoff, cooldowns
// and token refills are deterministic and take no wall time.

#include <chrono>

namespace reos::net {

/// Monotonic time for intervals, wall time for messages and HTTP dates, and a way to wait.
/// Implementations must be thread-safe: every method may be called from any thread.
class Clock {
 public:
  virtual ~Clock() = default;
  /// Monotonic "now", used for every interval (deadlines, windows, cooldowns, refills).
  virtual std::chrono::steady_clock::time_point now() = 0;
  /// Calendar "now", used only to interpret Retry-After HTTP-dates and to print times.
  virtual std::chrono::system_clock::time_point wall_now() = 0;
  /// Blocks the calling thread until `t` (returns at once when `t` has passed).
  virtual void sleep_until(std::chrono::steady_clock::time_point t) = 0;
};

/// The process-wide real clock (steady_clock, system_clock, this_thread::sleep_until).
Clock& real_clock();

}  // namespace reos::net
