#pragma once

#include <string>

namespace reos::plugin_host {

/// Exit codes of `reos-plugin-host` (the parent reports them as "exited with status N").
enum ExitCode : int {
  kExitOk = 0,           ///< SHUTDOWN or the parent closed the socket
  kExitUsage = 64,       ///< bad command line
  kExitProtocol = 65,    ///< the parent sent something undecodable or out of order
  kExitLoadFailed = 66,  ///< the plugin was refused (after LOAD_FAILED was sent)
  kExitParentLost = 70,  ///< the socket broke while the child was talking
};

/// Loads `plugin_path`, sends HELLO (or LOAD_FAILED) on the socket `fd`, then serves
/// CREATE and CALL frames one at a time until SHUTDOWN or end of stream. Takes ownership of
/// `fd`. Single-threaded. Returns the process exit code.
int serve_plugin(int fd, const std::string& plugin_path);

}  // namespace reos::plugin_host
