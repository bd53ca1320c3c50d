#pragma once

namespace reos {

/// Process exit codes of every `reos` command. Documented in docs/cli.md; never reuse a
/// retired number (scripts and service managers branch on them).
enum ExitCode : int {
  kExitOk = 0,        ///< the command did what it was asked
  kExitFailure = 1,   ///< an unexpected internal error (a bug: please report it)
  kExitUsage = 2,     ///< bad command line: unknown command or flag, missing argument
  kExitConfig = 3,    ///< configuration invalid or unreadable, or a secret reference unresolved
  kExitDatabase = 4,  ///< database unreachable, migration refused, or schema behind
  kExitPlugin = 5,    ///< a plugin was refused, not found, or failed its conformance checks
};

}  // namespace reos
