// Small text helpers shared by the RETS protocol files (headers, capability lines, cookies).
#pragma once

#include <string>
#include <string_view>

namespace rets {

/// `s` without leading and trailing spaces, tabs, CR and LF.
inline std::string_view trim(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

/// ASCII lower case (header names and tokens are ASCII; other bytes pass through).
inline std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace rets
