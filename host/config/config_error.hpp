#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace reos::config {

/// One problem found in a configuration source. Rendered as
/// `file:line:col: key.path: message` — the form every config error takes (docs/config.md).
/// `line` and `column` are 1-based; 0 means "not tied to a position" (e.g. a missing file).
struct ConfigError {
  std::string file;  ///< config file path as given, or "env:REOS_X" for an override
  int line = 0;
  int column = 0;
  std::string path;  ///< dotted key path, e.g. "http.port" or "connectors[2].plugin"; may be empty
  std::string message;  ///< what is wrong, in words an operator can act on

  std::string to_string() const;
};

/// Thrown by the loaders when a source has one or more problems; carries all of them so an
/// operator fixes a file in one pass rather than one error per run.
class ConfigErrors : public std::runtime_error {
 public:
  explicit ConfigErrors(std::vector<ConfigError> errors);
  const std::vector<ConfigError>& errors() const noexcept { return errors_; }

 private:
  std::vector<ConfigError> errors_;
};

/// Orders one source's errors the way an operator reads the file: by line, then column, with
/// errors from `REOS_*` overrides (no position) after the file's own. Stable otherwise.
void sort_by_position(std::vector<ConfigError>& errors);

}  // namespace reos::config
