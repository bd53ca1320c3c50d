#pragma once

// What `reos sync` shows while it runs on a terminal: a progress bar with records/s, pages
// and an ETA (when the source announced how many records match), redrawn in place. Pure
// functions, so the rendering is tested without a terminal.

#include <optional>
#include <string>

namespace reos::cli {

/// The run's counters (sync_runs) at one moment.
struct SyncCounts {
  long long fetched = 0;           ///< records pulled
  long long pages = 0;             ///< pages handed on
  long long processed = 0;         ///< records stored (inserted + updated + unchanged)
  std::optional<long long> total;  ///< records the source said match, if it said
};

/// One line, no newline, at most `width` columns:
/// `[#######.......]  45,000/100,000  12,345 rec/s  18 pages  ETA 0:04` (the bar and ETA only
/// with a total).
std::string progress_line(const SyncCounts& counts, double elapsed_s, int width);

/// The record count a source plugin announced for (tenant, connector): the value of a gauge
/// `reos_plugin_<plugin>_search_matches` (the rets plugin's COUNT) in a Prometheus text
/// rendering, nullopt when there is none.
std::optional<long long> announced_total(const std::string& metrics_text, const std::string& tenant,
                                         const std::string& connector);

/// 1234567 → "1,234,567".
std::string with_thousands(long long n);

}  // namespace reos::cli
