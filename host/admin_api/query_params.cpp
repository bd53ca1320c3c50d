#include "admin_api/query_params.hpp"

#include <algorithm>
#include <limits>

namespace reos::admin_api {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string decode_query_component(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
               hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::optional<std::int64_t> parse_decimal(std::string_view text) {
  if (text.empty() || text.size() > 19) return std::nullopt;
  std::int64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    const int digit = c - '0';
    if (value > (std::numeric_limits<std::int64_t>::max() - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

QueryParams::QueryParams(std::string_view raw_query, std::initializer_list<const char*> allowed) {
  std::vector<std::string> names(allowed.begin(), allowed.end());
  std::size_t start = 0;
  while (start <= raw_query.size()) {
    std::size_t end = raw_query.find('&', start);
    if (end == std::string_view::npos) end = raw_query.size();
    const std::string_view pair = raw_query.substr(start, end - start);
    start = end + 1;
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    const std::string name = decode_query_component(pair.substr(0, eq));
    const std::string value =
        eq == std::string_view::npos ? std::string() : decode_query_component(pair.substr(eq + 1));
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      std::string list;
      for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
      reject(name, "unknown parameter (allowed: " + list + ")");
      continue;
    }
    if (!values_.emplace(name, value).second) reject(name, "given more than once");
  }
}

std::optional<std::string> QueryParams::text(const std::string& name) const {
  const auto it = values_.find(name);
  if (it == values_.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

std::int64_t QueryParams::integer(const std::string& name, std::int64_t min, std::int64_t max,
                                  std::int64_t fallback) {
  const std::optional<std::string> value = text(name);
  if (!value) return fallback;
  const std::optional<std::int64_t> number = parse_decimal(*value);
  if (!number || *number < min || *number > max) {
    reject(name, "must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
    return fallback;
  }
  return *number;
}

void QueryParams::reject(std::string name, std::string reason) {
  errors_.push_back({std::move(name), std::move(reason)});
}

}  // namespace reos::admin_api
