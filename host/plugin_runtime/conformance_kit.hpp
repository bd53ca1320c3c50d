#pragma once

#include <string>
#include <vector>

namespace reos::plugin_runtime {

/// How to run the kit.
struct ConformanceOptions {
  std::string settings_json = "{}";  ///< valid settings for the plugin (JSON object text)
  int repeat = 100;                  ///< calls per kind with a valid input
  int threads = 4;                   ///< concurrent callers, for REOS_FLAG_THREAD_SAFE plugins
};

/// One check: a stable name ("enricher.malformed_input"), whether it passed, and what was seen.
struct ConformanceCheck {
  std::string name;
  bool passed = false;
  std::string detail;
};

struct ConformanceReport {
  std::vector<ConformanceCheck> checks;
  /// True when every check passed (and at least one ran).
  bool passed() const;
};

/// The conformance kit behind `reos plugins test`: loads the plugin at `plugin_path` in this
/// process with MemoryHostServices (state and blobs in memory, no network) and checks, for
/// every kind it declares, that bad settings are refused with INVALID and a message, valid
/// settings create an instance, empty and malformed inputs give INVALID or FAIL with a
/// message, a valid input gives the same status every time, concurrent calls agree when the
/// plugin says it is thread-safe, and destroy returns. Inputs are passed without a trailing
/// NUL, as the ABI allows. Stops early when the plugin does not load or create fails. A plugin
/// that crashes takes the process with it: run the kit in its own process (the CLI does).
ConformanceReport run_conformance_kit(const std::string& plugin_path,
                                      const ConformanceOptions& options);

/// The report as a table: check, PASS/FAIL, detail; then a summary line.
std::string render_conformance_table(const ConformanceReport& report);

/// Name of the check running right now ("" when none): for a crash handler to report which
/// check took the process down. Async-signal-safe to read.
const char* conformance_check_in_progress();

}  // namespace reos::plugin_runtime
