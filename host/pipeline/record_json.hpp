#pragma once

#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

namespace reos::pipeline {

/// One parsed, immutable JSON value (a record payload). Copies share the parsed tree, so a page
/// of records is parsed once and every route predicate reads the same tree. Thread-safe for
/// concurrent reads.
class RecordJson {
 public:
  /// An empty object `{}`.
  RecordJson();
  /// Parses `text`. Throws std::invalid_argument("record is not valid JSON: ...") otherwise.
  static RecordJson parse(std::string_view text);
  /// Takes ownership of an already-built value without copying it (host-internal).
  static RecordJson adopt(nlohmann::json&& value);

  /// The value as compact JSON text.
  std::string dump() const;
  bool is_object() const;

  /// The parsed value (host-internal; include <nlohmann/json.hpp> to use it).
  const nlohmann::json& value() const { return *value_; }

 private:
  explicit RecordJson(std::shared_ptr<const nlohmann::json> value);
  std::shared_ptr<const nlohmann::json> value_;
};

}  // namespace reos::pipeline
