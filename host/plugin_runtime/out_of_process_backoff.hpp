#pragma once

#include <chrono>

namespace reos::plugin_runtime {

/// Exponential restart backoff for a crashed plugin process: after the n-th consecutive
/// failure the next restart may happen `first * 2^(n-1)` later, capped at `max`. reset()
/// after a call that completed. Not thread-safe (the instance's mutex guards it).
class RestartBackoff {
 public:
  using Clock = std::chrono::steady_clock;

  RestartBackoff(std::chrono::milliseconds first, std::chrono::milliseconds max)
      : first_(first), max_(max) {}

  /// Records a failure at `now` and returns the delay before a restart may be tried.
  std::chrono::milliseconds record_failure(Clock::time_point now);
  /// Time left at `now` before a restart may be tried (zero when it may happen now).
  std::chrono::milliseconds remaining(Clock::time_point now) const;
  void reset() { failures_ = 0; }
  int consecutive_failures() const { return failures_; }

 private:
  std::chrono::milliseconds first_;
  std::chrono::milliseconds max_;
  int failures_ = 0;
  Clock::time_point not_before_{};
};

}  // namespace reos::plugin_runtime
