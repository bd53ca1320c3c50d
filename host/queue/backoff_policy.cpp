#include "queue/backoff_policy.hpp"

#include <algorithm>
#include <random>

namespace reos::queue {
namespace {

KindRetrySettings clamped(KindRetrySettings s) {
  using std::chrono::milliseconds;
  s.max_attempts = std::max(1, s.max_attempts);
  s.backoff_base = std::max(milliseconds(0), s.backoff_base);
  s.backoff_cap = std::max(s.backoff_base, s.backoff_cap);
  return s;
}

}  // namespace

UnitRandom default_unit_random() {
  return [] {
    thread_local std::mt19937_64 engine{std::random_device{}()};
    return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
  };
}

BackoffPolicy::BackoffPolicy(KindRetrySettings defaults,
                             std::map<std::string, KindRetrySettings> kinds, UnitRandom random)
    : defaults_(clamped(defaults)), random_(random ? std::move(random) : default_unit_random()) {
  for (auto& [kind, settings] : kinds) kinds_.emplace(kind, clamped(settings));
}

const KindRetrySettings& BackoffPolicy::settings_for(const std::string& kind) const {
  const auto it = kinds_.find(kind);
  return it == kinds_.end() ? defaults_ : it->second;
}

std::chrono::milliseconds BackoffPolicy::ceiling(const std::string& kind, int attempt) const {
  const KindRetrySettings& s = settings_for(kind);
  const long long base = s.backoff_base.count();
  const long long cap = s.backoff_cap.count();
  // Doubling stops at the cap, so a large attempt number cannot overflow.
  long long ceiling = base;
  for (int i = 1; i < attempt && ceiling > 0 && ceiling < cap; ++i) ceiling *= 2;
  return std::chrono::milliseconds(std::min(ceiling, cap));
}

std::chrono::milliseconds BackoffPolicy::delay(const std::string& kind, int attempt,
                                               std::chrono::milliseconds retry_after) const {
  const double unit = std::clamp(random_(), 0.0, 1.0);
  const auto jittered = std::chrono::milliseconds(
      static_cast<long long>(unit * static_cast<double>(ceiling(kind, attempt).count())));
  return std::max(jittered, retry_after);
}

}  // namespace reos::queue
