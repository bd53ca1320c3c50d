#include "cli/command_line.hpp"

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <stdexcept>

#include "config/hub_config.hpp"
#include "core/exit_codes.hpp"

namespace reos::cli {
namespace {

const char* kUsage = R"(usage: reos [--config FILE] COMMAND [ARGS]

Real Estate OS integration hub.

Commands:
  serve              run the hub: HTTP API, webhooks, workers (until SIGTERM/SIGINT)
  sync TENANT CONN   run one sync of a source connector in the foreground
  migrate            apply pending database migrations (--status to list them)
  config check       validate hub.yaml and tenant files (or the FILEs given)
  config get KEY     print one hub.yaml value after overrides, e.g. http.port
  plugins list       installed plugins (and refused ones, with the reason)
  plugins inspect N  everything about one plugin, with its settings schema
  plugins test SO    run the conformance kit against a plugin shared object
  version            print version and build information

Global options:
  --config FILE      hub configuration (default: $REOS_CONFIG, else config/hub.yaml)
  -h, --help         help for reos or for a command

Any hub.yaml key can be overridden from the environment: REOS_HTTP__PORT=9090,
REOS_LOG__LEVEL=debug (levels joined by a double underscore).

Exit codes: 0 ok, 2 usage, 3 configuration, 4 database, 5 plugin refused or failed
its checks, 1 internal error.
)";

struct Command {
  const char* name;
  int (*fn)(const Invocation&);
};

const Command kCommands[] = {
    {"serve", serve_command},   {"sync", sync_command},       {"migrate", migrate_command},
    {"config", config_command}, {"version", version_command}, {"plugins", plugins_command},
};

}  // namespace

bool load_config_or_report(const Invocation& inv, config::HubConfig& out) {
  try {
    out = config::load_hub_config(inv.config_path, inv.environ_entries);
    return true;
  } catch (const config::ConfigErrors& e) {
    for (const auto& err : e.errors()) std::cerr << err.to_string() << "\n";
    return false;
  }
}

bool wants_help(const std::vector<std::string>& args) {
  for (const auto& a : args) {
    if (a == "-h" || a == "--help") return true;
  }
  return false;
}

int run(int argc, char** argv, char** envp) {
  Invocation inv;
  for (char** e = envp; e && *e; ++e) inv.environ_entries.emplace_back(*e);
  const char* env_config = std::getenv("REOS_CONFIG");
  inv.config_path = env_config && *env_config ? env_config : "config/hub.yaml";

  std::string command;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--config") {
      if (i + 1 >= argc) {
        std::cerr << "reos: --config needs a FILE\n";
        return kExitUsage;
      }
      inv.config_path = argv[++i];
    } else if (a.rfind("--config=", 0) == 0) {
      inv.config_path = a.substr(std::strlen("--config="));
    } else if (command.empty() && !a.empty() && a[0] != '-') {
      command = a;
    } else if (command.empty() && (a == "-h" || a == "--help")) {
      std::cout << kUsage;
      return kExitOk;
    } else if (command.empty() && a == "--version") {
      command = "version";
    } else if (command.empty()) {
      std::cerr << "reos: unknown option '" << a << "'\n\n" << kUsage;
      return kExitUsage;
    } else {
      inv.args.push_back(a);
    }
  }
  if (command.empty()) {
    std::cerr << kUsage;
    return kExitUsage;
  }
  if (command == "help") {
    std::cout << kUsage;
    return kExitOk;
  }
  for (const Command& c : kCommands) {
    if (command == c.name) {
      try {
        return c.fn(inv);
      } catch (const std::exception& e) {
        std::cerr << "reos " << command << ": internal error: " << e.what() << "\n";
        return kExitFailure;
      }
    }
  }
  std::cerr << "reos: unknown command '" << command << "'\n\n" << kUsage;
  return kExitUsage;
}

}  // namespace reos::cli
