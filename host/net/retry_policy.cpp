#include "net/retry_policy.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "core/backoff.hpp"
#include "core/http_headers.hpp"

namespace reos::net {
bool is_idempotent(std::string_view method,
                   const std::vector<std::pair<std::string, std::string>>& headers) {
  static constexpr std::string_view kIdempotent[] = {"GET",   "HEAD", "OPTIONS",
                                                     "TRACE", "PUT",  "DELETE"};
  for (auto m : kIdempotent)
    if (method == m) return true;
  for (const auto& [name, value] : headers)
    if (core::iequals(name, "Idempotency-Key") && !value.empty()) return true;
  return false;
}

RetryPolicy::RetryPolicy(int max_retries, std::chrono::milliseconds backoff_base,
                         std::chrono::milliseconds backoff_cap)
    : max_retries_(std::max(0, max_retries)),
      base_(std::max(std::chrono::milliseconds(0), backoff_base)),
      cap_(std::max(base_, backoff_cap)) {}

bool RetryPolicy::retryable_status(int status, bool idempotent) {
  switch (status) {
    case 429:  // Too Many Requests: rejected before processing
    case 503:  // Service Unavailable: rejected before processing
      return true;
    case 408:  // Request Timeout: the server gave up waiting for the request
    case 500:
    case 502:
    case 504:
      return idempotent;
    default:
      return false;
  }
}

bool RetryPolicy::retryable_failure(TransportFailure failure, bool idempotent) {
  switch (failure) {
    case TransportFailure::before_send:
      return true;
    case TransportFailure::after_send:
      return idempotent;
    case TransportFailure::permanent:
      return false;
  }
  return false;
}

std::chrono::milliseconds RetryPolicy::backoff_ceiling(int retry) const {
  return reos::backoff_ceiling(base_, cap_, retry);
}

std::chrono::milliseconds RetryPolicy::backoff(int retry, double unit_random) const {
  return full_jitter_backoff(base_, cap_, retry, unit_random);
}

}  // namespace reos::net
