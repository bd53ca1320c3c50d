#pragma once

// A net::Clock that only moves when told to (advance) or when someone sleeps on it (the
// sleeper "wakes" at once and time jumps to its wake-up instant). Makes backoff, cooldowns
// and token refills deterministic and instantaneous in tests. Thread-safe.

#include <chrono>
#include <mutex>
#include <vector>

#include "net/clock.hpp"

namespace reos::test {

class ManualClock final : public net::Clock {
 public:
  ManualClock() : wall_base_(std::chrono::system_clock::now()) {}

  std::chrono::steady_clock::time_point now() override {
    std::lock_guard lock(mutex_);
    return now_;
  }
  std::chrono::system_clock::time_point wall_now() override {
    std::lock_guard lock(mutex_);
    return wall_base_ + std::chrono::duration_cast<std::chrono::system_clock::duration>(
                            now_ - std::chrono::steady_clock::time_point{});
  }
  void sleep_until(std::chrono::steady_clock::time_point t) override {
    std::lock_guard lock(mutex_);
    if (t <= now_) return;
    sleeps_.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(t - now_));
    now_ = t;
  }

  void advance(std::chrono::steady_clock::duration d) {
    std::lock_guard lock(mutex_);
    now_ += d;
  }
  /// Every wait that moved time, in order.
  std::vector<std::chrono::milliseconds> sleeps() {
    std::lock_guard lock(mutex_);
    return sleeps_;
  }

 private:
  std::mutex mutex_;
  // Far from the epoch so that "now - window" never underflows.
  std::chrono::steady_clock::time_point now_{std::chrono::hours(24 * 365)};
  std::chrono::system_clock::time_point wall_base_;
  std::vector<std::chrono::milliseconds> sleeps_;
};

}  // namespace reos::test
