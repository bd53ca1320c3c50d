#pragma once

#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace reos::config {

/// One way a JSON value breaks a schema, worded for the operator who wrote the YAML:
/// "expected integer, got string \"8080\"", "must be one of: a, b; got \"c\"",
/// "unknown key 'prot' (allowed: bind, port)", "missing required key 'id'".
struct SchemaProblem {
  std::string pointer;  ///< JSON pointer of the offending node ("" = the root)
  std::string message;
  bool at_key = false;  ///< about the key naming the node (an unknown key), not its value
};

/// A compiled JSON Schema (draft-07, valijson) — the one schema validator of the host: config
/// files and plugin settings both use it. Values of `writeOnly` nodes (secrets) never appear
/// in a message. Immutable after compile; validate() may run on many threads at once.
class JsonSchema {
 public:
  /// Compiles `document`. Throws std::invalid_argument when it is not a usable schema.
  static std::shared_ptr<const JsonSchema> compile(const nlohmann::json& document);

  ~JsonSchema();
  JsonSchema(const JsonSchema&) = delete;
  JsonSchema& operator=(const JsonSchema&) = delete;

  /// Every problem of `instance`, in valijson's order: empty exactly when it is valid.
  std::vector<SchemaProblem> validate(const nlohmann::json& instance) const;

  /// The schema as compiled.
  const nlohmann::json& document() const;

 private:
  JsonSchema();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace reos::config
