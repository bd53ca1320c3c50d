#include "net/retry_after.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <string>

namespace reos::net {
namespace {

constexpr long long kMaxSeconds = 1'000'000'000;  // ~31 years: keeps milliseconds in range

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

bool all_digits(std::string_view s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

}  // namespace

std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now) {
  value = trim(value);
  if (value.empty()) return std::nullopt;
  if (all_digits(value)) {
    long long seconds = 0;
    for (char c : value) {
      seconds = seconds * 10 + (c - '0');
      if (seconds > kMaxSeconds) {
        seconds = kMaxSeconds;
        break;
      }
    }
    return std::chrono::seconds(seconds);
  }
  // An HTTP-date must start with a day name: rejecting anything else up front keeps
  // curl_getdate's generous parser from accepting "5 minutes" or "+10".
  if (!std::isalpha(static_cast<unsigned char>(value.front()))) return std::nullopt;
  // libcurl's date parser accepts all three HTTP-date formats (it parses cookie expiry and
  // If-Modified-Since with it) and is pure, hence thread-safe.
  const std::string text(value);
  const time_t when = curl_getdate(text.c_str(), nullptr);
  if (when == static_cast<time_t>(-1)) return std::nullopt;
  const auto target = std::chrono::system_clock::from_time_t(when);
  if (target <= now) return std::chrono::milliseconds(0);
  const auto delta = std::chrono::duration_cast<std::chrono::milliseconds>(target - now);
  return std::min<std::chrono::milliseconds>(delta, std::chrono::seconds(kMaxSeconds));
}

}  // namespace reos::net
