#pragma once

// Runs a program to completion and reports its wall time and peak resident set size
// (wait4's ru_maxrss), its stdout captured: how bench/mls_sync measures `reos sync`.

#include <string>
#include <vector>

namespace reos::bench {

struct ChildRun {
  int exit_code = -1;
  double seconds = 0;
  double peak_rss_mb = 0;
  double cpu_seconds = 0;  ///< user + system CPU of the child (PostgreSQL's is not included)
  std::string out;         ///< stdout
};

/// `argv[0]` is the program path; `extra_env` entries (KEY=VALUE) are added to this process's
/// environment. stderr is inherited.
ChildRun run_child(const std::vector<std::string>& argv, const std::vector<std::string>& extra_env);

}  // namespace reos::bench
