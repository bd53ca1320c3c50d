#pragma once

#include <string>
#include <vector>

namespace reos::config {
struct HubConfig;
}

namespace reos::cli {

/// What every command receives: its own arguments (global options removed) and the
/// process context, so commands are testable without a real process environment.
struct Invocation {
  std::string config_path;                   ///< --config, else $REOS_CONFIG, else config/hub.yaml
  std::vector<std::string> args;             ///< arguments after the command name
  std::vector<std::string> environ_entries;  ///< KEY=VALUE, for REOS_* overrides
};

/// Runs `reos` with `argv` and returns the process exit code (core/exit_codes.hpp).
int run(int argc, char** argv, char** envp);

// The commands; each returns an exit code and prints its own output.
int serve_command(const Invocation& inv);
int migrate_command(const Invocation& inv);
int config_command(const Invocation& inv);
int version_command(const Invocation& inv);
int sync_command(const Invocation& inv);
int plugins_command(const Invocation& inv);

/// Loads the hub configuration named by `inv`; on failure prints every problem to stderr
/// (`file:line:col: key.path: what`) and returns false (the caller exits with kExitConfig).
bool load_config_or_report(const Invocation& inv, config::HubConfig& out);

/// True when `args` asks for help (-h or --help anywhere).
bool wants_help(const std::vector<std::string>& args);

}  // namespace reos::cli
