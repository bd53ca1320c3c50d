#pragma once

// HTTP field names are case-insensitive (RFC 9110 §5.1): one comparison and one lookup for
// every header list the host handles (outbound responses, S3, photo downloads).

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace reos::core {

/// ASCII case-insensitive equality.
inline bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
           return std::tolower(x) == std::tolower(y);
         });
}

/// The first header called `name` (any case), or nullptr.
inline const std::string* find_header(
    const std::vector<std::pair<std::string, std::string>>& headers, std::string_view name) {
  for (const auto& [key, value] : headers)
    if (iequals(key, name)) return &value;
  return nullptr;
}

/// The first header called `name` (any case), or "".
inline std::string header_value(const std::vector<std::pair<std::string, std::string>>& headers,
                                std::string_view name) {
  const std::string* value = find_header(headers, name);
  return value ? *value : std::string();
}

}  // namespace reos::core
