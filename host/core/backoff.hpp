#pragma once

#include <chrono>

namespace reos {

/// min(cap, base × 2^exponent): the ceiling of the n-th exponential backoff step.
/// Negative exponents count as 0; never overflows (doubling stops at the cap).
std::chrono::milliseconds backoff_ceiling(std::chrono::milliseconds base,
                                          std::chrono::milliseconds cap, int exponent);

/// "Full jitter" backoff: unit × backoff_ceiling(base, cap, exponent), with `unit` a uniform
/// random number in [0, 1] (clamped; NaN counts as 0). Spreads retries of many clients so
/// they do not arrive in waves. The one backoff formula of the hub: the outbound HTTP
/// client and the job queue both use it.
std::chrono::milliseconds full_jitter_backoff(std::chrono::milliseconds base,
                                              std::chrono::milliseconds cap, int exponent,
                                              double unit);

}  // namespace reos
