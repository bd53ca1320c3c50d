#include "net/token_bucket.hpp"

#include <algorithm>
#include <cmath>

namespace reos::net {

TokenBucket::TokenBucket(double rate_per_s, int burst, Clock& clock)
    : rate_per_s_(rate_per_s),
      burst_(static_cast<double>(std::max(1, burst))),
      unlimited_(!(rate_per_s > 0) || !std::isfinite(rate_per_s)),
      clock_(clock),
      tokens_(burst_),
      last_refill_(clock.now()) {}

void TokenBucket::refill_locked(std::chrono::steady_clock::time_point now) {
  if (now <= last_refill_) return;
  const double elapsed_s = std::chrono::duration<double>(now - last_refill_).count();
  tokens_ = std::min(burst_, tokens_ + elapsed_s * rate_per_s_);
  last_refill_ = now;
}

std::chrono::steady_clock::time_point TokenBucket::ready_time_locked(
    std::chrono::steady_clock::time_point now) const {
  if (tokens_ >= 1.0) return now;
  const double wait_s = (1.0 - tokens_) / rate_per_s_;
  // Round up so that a caller sleeping until the returned instant really finds the token.
  return now +
         std::chrono::duration_cast<std::chrono::steady_clock::duration>(
             std::chrono::duration<double>(wait_s)) +
         std::chrono::steady_clock::duration(1);
}

std::optional<std::chrono::steady_clock::time_point> TokenBucket::reserve(
    std::chrono::steady_clock::time_point deadline) {
  if (unlimited_) return clock_.now();
  // `now` is read under the lock so that refills never go back in time between threads.
  std::lock_guard lock(mutex_);
  const auto now = clock_.now();
  refill_locked(now);
  const auto ready = ready_time_locked(now);
  if (ready > deadline) return std::nullopt;
  tokens_ -= 1.0;
  return ready;
}

bool TokenBucket::try_acquire() {
  if (unlimited_) return true;
  std::lock_guard lock(mutex_);
  const auto now = clock_.now();
  refill_locked(now);
  if (tokens_ < 1.0) return false;
  tokens_ -= 1.0;
  return true;
}

std::chrono::steady_clock::time_point TokenBucket::next_available() {
  if (unlimited_) return clock_.now();
  // `now` is read under the lock so that refills never go back in time between threads.
  std::lock_guard lock(mutex_);
  const auto now = clock_.now();
  refill_locked(now);
  return ready_time_locked(now);
}

double TokenBucket::available() {
  if (unlimited_) return burst_;
  std::lock_guard lock(mutex_);
  refill_locked(clock_.now());
  return tokens_;
}

}  // namespace reos::net
