#include "plugin_runtime/out_of_process_backoff.hpp"

#include <algorithm>

namespace reos::plugin_runtime {

std::chrono::milliseconds RestartBackoff::record_failure(Clock::time_point now) {
  ++failures_;
  auto delay = first_;
  for (int i = 1; i < failures_ && delay < max_; ++i) delay *= 2;
  delay = std::min(delay, max_);
  not_before_ = now + delay;
  return delay;
}

std::chrono::milliseconds RestartBackoff::remaining(Clock::time_point now) const {
  if (failures_ == 0 || now >= not_before_) return std::chrono::milliseconds(0);
  return std::chrono::ceil<std::chrono::milliseconds>(not_before_ - now);
}

}  // namespace reos::plugin_runtime
