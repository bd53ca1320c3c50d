#pragma once

// How long a failed job waits before its next attempt, and how many attempts it gets.
// Exponential backoff with "full jitter" (AWS Architecture Blog, "Exponential Backoff And
// Jitter"): the wait before attempt n+1 is uniform in [0, min(cap, base × 2^(n-1))], so
// workers that failed together do not retry together. A plugin's RETRY with a retry-after
// wins when it asks for longer.

#include <chrono>
#include <functional>
#include <map>
#include <string>

namespace reos::queue {

/// Retry settings of one job kind (hub.yaml `queue.kinds.<kind>`).
struct KindRetrySettings {
  int max_attempts = 5;                              ///< total attempts, ≥ 1
  std::chrono::milliseconds backoff_base{1000};      ///< ceiling of the first retry's wait
  std::chrono::milliseconds backoff_cap{5 * 60000};  ///< the ceiling never exceeds this
};

/// A source of uniform random numbers in [0, 1). Injectable so tests can pin the jitter.
using UnitRandom = std::function<double()>;

/// A thread-safe UnitRandom backed by a per-thread std::mt19937_64 seeded from
/// std::random_device.
UnitRandom default_unit_random();

/// Per-kind backoff. Immutable after construction except through the injected random source,
/// so it may be shared between threads when that source is thread-safe (the default is).
class BackoffPolicy {
 public:
  /// `kinds` overrides `defaults` per job kind. Out-of-range values are clamped (attempts to
  /// ≥ 1, durations to ≥ 0, a cap below the base raised to the base).
  explicit BackoffPolicy(KindRetrySettings defaults = {},
                         std::map<std::string, KindRetrySettings> kinds = {},
                         UnitRandom random = default_unit_random());

  /// The settings that apply to `kind`.
  const KindRetrySettings& settings_for(const std::string& kind) const;

  /// The ceiling min(cap, base × 2^(attempt-1)) for the wait after failed attempt
  /// `attempt` (1-based), without jitter.
  std::chrono::milliseconds ceiling(const std::string& kind, int attempt) const;

  /// The wait after failed attempt `attempt` (1-based): random × ceiling, or `retry_after`
  /// when that is longer (a provider's "not before" is a floor, never shortened by jitter).
  std::chrono::milliseconds delay(const std::string& kind, int attempt,
                                  std::chrono::milliseconds retry_after = {}) const;

 private:
  KindRetrySettings defaults_;
  std::map<std::string, KindRetrySettings> kinds_;
  UnitRandom random_;
};

}  // namespace reos::queue
