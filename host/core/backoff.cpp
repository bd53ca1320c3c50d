#include "core/backoff.hpp"

#include <algorithm>
#include <cmath>

namespace reos {

std::chrono::milliseconds backoff_ceiling(std::chrono::milliseconds base,
                                          std::chrono::milliseconds cap, int exponent) {
  // 2^62 × base is finite in double; the cap bounds the result long before that.
  const double exp = std::ldexp(static_cast<double>(std::max<long long>(0, base.count())),
                                std::clamp(exponent, 0, 62));
  return std::chrono::milliseconds(static_cast<long long>(
      std::min(exp, static_cast<double>(std::max<long long>(0, cap.count())))));
}

std::chrono::milliseconds full_jitter_backoff(std::chrono::milliseconds base,
                                              std::chrono::milliseconds cap, int exponent,
                                              double unit) {
  if (!(unit >= 0.0)) unit = 0.0;  // also catches NaN
  unit = std::min(unit, 1.0);
  return std::chrono::milliseconds(static_cast<long long>(
      std::floor(unit * static_cast<double>(backoff_ceiling(base, cap, exponent).count()))));
}

}  // namespace reos
