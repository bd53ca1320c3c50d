#include "auth/login_throttle.hpp"

#include <algorithm>

namespace reos::auth {

LoginThrottle::LoginThrottle(LoginThrottleSettings settings, Clock clock)
    : settings_(settings), clock_(std::move(clock)) {
  if (!clock_) clock_ = [] { return std::chrono::system_clock::now(); };
}

void LoginThrottle::prune(std::deque<Time>& failures, Time now) const {
  while (!failures.empty() && failures.front() + settings_.window <= now) failures.pop_front();
}

std::optional<std::chrono::seconds> LoginThrottle::wait_for(std::deque<Time>& failures, int limit,
                                                            Time now) {
  prune(failures, now);
  if (static_cast<int>(failures.size()) < limit) return std::nullopt;
  // Blocked until enough of the oldest failures leave the window.
  const Time free_at =
      failures[failures.size() - static_cast<std::size_t>(limit)] + settings_.window;
  auto wait = std::chrono::duration_cast<std::chrono::seconds>(free_at - now);
  if (free_at - now > wait) wait += std::chrono::seconds(1);
  return std::max(wait, std::chrono::seconds(1));
}

std::optional<std::chrono::seconds> LoginThrottle::blocked(const std::string& account,
                                                           const std::string& ip) {
  const Time now = clock_();
  std::lock_guard<std::mutex> lock(mutex_);
  std::optional<std::chrono::seconds> wait;
  if (auto it = accounts_.find(account); it != accounts_.end()) {
    wait = wait_for(it->second, settings_.per_account, now);
  }
  if (auto it = ips_.find(ip); it != ips_.end()) {
    if (auto w = wait_for(it->second, settings_.per_ip, now); w && (!wait || *w > *wait)) wait = w;
  }
  return wait;
}

void LoginThrottle::record_failure(const std::string& account, const std::string& ip) {
  const Time now = clock_();
  std::lock_guard<std::mutex> lock(mutex_);
  auto& a = accounts_[account];
  prune(a, now);
  a.push_back(now);
  auto& i = ips_[ip];
  prune(i, now);
  i.push_back(now);
  // Bound memory under a spray of distinct emails: forget idle entries now and then.
  if (accounts_.size() > 100000) {
    for (auto it = accounts_.begin(); it != accounts_.end();) {
      prune(it->second, now);
      it = it->second.empty() ? accounts_.erase(it) : std::next(it);
    }
  }
}

void LoginThrottle::record_success(const std::string& account) {
  std::lock_guard<std::mutex> lock(mutex_);
  accounts_.erase(account);
}

}  // namespace reos::auth
