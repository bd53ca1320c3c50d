#include <iostream>

#include "cli/command_line.hpp"
#include "core/build_info.hpp"
#include "core/exit_codes.hpp"

namespace reos::cli {

int version_command(const Invocation& inv) {
  if (wants_help(inv.args)) {
    std::cout << "usage: reos version\n\nPrints the version, commit, build type and compiler.\n";
    return kExitOk;
  }
  if (!inv.args.empty()) {
    std::cerr << "reos version: unexpected argument '" << inv.args.front() << "'\n";
    return kExitUsage;
  }
  const BuildInfo& b = build_info();
  std::cout << "reos " << b.version << " (commit " << b.git_commit << ", " << b.build_type << ", "
            << b.compiler << ")\n";
  return kExitOk;
}

}  // namespace reos::cli
