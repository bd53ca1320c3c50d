#pragma once

// Failed-login counting per account (email) and per client address, in memory: each hub
// process counts its own failures (documented in docs/auth.md — behind a load balancer the
// effective limit is per process). A success clears the account's failures.

#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "auth/auth_settings.hpp"

namespace reos::auth {

/// Thread-safe.
class LoginThrottle {
 public:
  LoginThrottle(LoginThrottleSettings settings, Clock clock);

  /// How long the caller must wait before trying again (nullopt: may try now).
  std::optional<std::chrono::seconds> blocked(const std::string& account, const std::string& ip);
  void record_failure(const std::string& account, const std::string& ip);
  void record_success(const std::string& account);

 private:
  using Time = std::chrono::system_clock::time_point;
  std::optional<std::chrono::seconds> wait_for(std::deque<Time>& failures, int limit, Time now);
  void prune(std::deque<Time>& failures, Time now) const;

  LoginThrottleSettings settings_;
  Clock clock_;
  std::mutex mutex_;
  std::map<std::string, std::deque<Time>> accounts_;
  std::map<std::string, std::deque<Time>> ips_;
};

}  // namespace reos::auth
