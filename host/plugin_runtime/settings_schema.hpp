#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/json_schema.hpp"

namespace reos::plugin_runtime {

/// One reason a settings object does not match a plugin's schema (worded by the host's one
/// schema validator, config::JsonSchema).
using SettingsProblem = config::SchemaProblem;

/// A plugin's settings_schema (JSON Schema draft-07), compiled once when the plugin loads.
/// Thread-safety: immutable after compile(); validate() may run on many threads at once.
class SettingsSchema {
 public:
  /// Compiles `schema_text`; "" means "any JSON object". Throws std::invalid_argument with
  /// the parser's reason when the text is not JSON or not a usable schema.
  static std::shared_ptr<const SettingsSchema> compile(std::string_view schema_text);

  ~SettingsSchema();
  SettingsSchema(const SettingsSchema&) = delete;
  SettingsSchema& operator=(const SettingsSchema&) = delete;

  /// Problems with `settings_json` (empty when valid). Text that is not JSON is one problem
  /// at the root; settings must always be a JSON object, whatever the schema says.
  std::vector<SettingsProblem> validate(std::string_view settings_json) const;

  /// Top-level `required` keys of the schema (the conformance kit checks `{}` is refused).
  const std::vector<std::string>& required_keys() const { return required_keys_; }

  /// The schema pretty-printed (2-space indent), or "" when the plugin declared none.
  std::string pretty() const;

 private:
  SettingsSchema();
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::vector<std::string> required_keys_;
};

}  // namespace reos::plugin_runtime
