// A Search row as the JSON record the plugin emits ({"Column":"value",…}, every value a string
// as sent), written straight into a reused buffer: building an nlohmann object per row and
// dumping it was most of the plugin's time per row (docs/rets.md, "Streaming").
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace rets {

/// Appends `s` as a JSON string literal (quotes, `\"`, `\\`, control characters as `\u00XX`).
/// `s` is UTF-8 (expat's output), so other bytes pass through unchanged.
void append_json_string(std::string& out, std::string_view s);

/// Writes rows as {columns[i]: values[i]}; the escaped `"Column":` prefixes are made once per
/// COLUMNS list. A column named twice keeps its last value, as an object built key by key would.
class RowJsonWriter {
 public:
  /// The row's JSON text (valid until the next call). Sizes must match.
  const std::string& write(const std::vector<std::string>& columns,
                           const std::vector<std::string>& values);

 private:
  std::vector<std::string> columns_;   ///< the list the prefixes were made for
  std::vector<std::string> prefixes_;  ///< `"Column":`, or "" for an earlier duplicate
  std::string out_;
};

}  // namespace rets
