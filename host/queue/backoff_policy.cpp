#include "queue/backoff_policy.hpp"

#include <algorithm>
#include <random>

#include "core/backoff.hpp"

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
  return backoff_ceiling(s.backoff_base, s.backoff_cap, attempt - 1);
}

std::chrono::milliseconds BackoffPolicy::delay(const std::string& kind, int attempt,
                                               std::chrono::milliseconds retry_after) const {
  const KindRetrySettings& s = settings_for(kind);
  return std::max(full_jitter_backoff(s.backoff_base, s.backoff_cap, attempt - 1, random_()),
                  retry_after);
}

}  // namespace reos::queue
