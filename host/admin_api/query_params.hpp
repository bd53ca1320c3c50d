#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/problem_json.hpp"

namespace reos::admin_api {

/// A request's query string, decoded (`%XX`, `+` = space) and checked against the names an
/// endpoint accepts. Every problem is appended to `errors()` as an InvalidParam named after
/// the parameter, so one 400 response can list them all: an unknown name, a name given
/// twice, and whatever the typed getters reject. An empty value counts as absent.
class QueryParams {
 public:
  QueryParams(std::string_view raw_query, std::initializer_list<const char*> allowed);

  /// The value of `name`, or nullopt when absent or empty.
  std::optional<std::string> text(const std::string& name) const;

  /// The integer value of `name` within [min, max] (decimal digits only), `fallback` when
  /// absent; records an error and returns `fallback` otherwise.
  std::int64_t integer(const std::string& name, std::int64_t min, std::int64_t max,
                       std::int64_t fallback);

  /// Records a problem with parameter `name`.
  void reject(std::string name, std::string reason);

  const std::vector<http::InvalidParam>& errors() const { return errors_; }

 private:
  std::map<std::string, std::string> values_;
  std::vector<http::InvalidParam> errors_;
};

/// Decodes one query component: `+` → space, `%XX` → byte (malformed escapes kept as-is).
std::string decode_query_component(std::string_view text);

/// Parses a decimal integer of digits only (no sign, no spaces); nullopt when not one or
/// when it overflows int64.
std::optional<std::int64_t> parse_decimal(std::string_view text);

}  // namespace reos::admin_api
