#include <iostream>

#include "cli/command_line.hpp"
#include "config/hub_config.hpp"
#include "core/exit_codes.hpp"

namespace reos::cli {
namespace {

const char* kUsage = R"(usage: reos config check [FILE...]
       reos config get KEY

check  validates the hub configuration (with its tenant files), or each FILE given, against
       the JSON Schemas in schemas/config/. Every problem is printed as
       file:line:col: key.path: what is wrong
get    prints one hub.yaml value after REOS_* overrides, e.g. `reos config get http.port`.
)";

void print_errors(const std::vector<config::ConfigError>& errors) {
  for (const auto& e : errors) std::cerr << e.to_string() << "\n";
}

}  // namespace

int config_command(const Invocation& inv) {
  if (wants_help(inv.args)) {
    std::cout << kUsage;
    return kExitOk;
  }
  if (inv.args.empty()) {
    std::cerr << "reos config: missing subcommand (check or get)\n\n" << kUsage;
    return kExitUsage;
  }
  const std::string& sub = inv.args.front();
  if (sub == "check") {
    std::vector<std::string> files(inv.args.begin() + 1, inv.args.end());
    std::vector<config::ConfigError> errors;
    if (files.empty()) {
      try {
        config::HubConfig hub = config::load_hub_config(inv.config_path, inv.environ_entries);
        std::cout << inv.config_path << ": OK (" << hub.tenants.size() << " tenant(s))\n";
        return kExitOk;
      } catch (const config::ConfigErrors& e) {
        errors = e.errors();
      }
    } else {
      errors = config::check_config_files(files);
      if (errors.empty()) {
        std::cout << files.size() << " file(s) OK\n";
        return kExitOk;
      }
    }
    print_errors(errors);
    std::cerr << errors.size() << " problem(s) found\n";
    return kExitConfig;
  }
  if (sub == "get") {
    if (inv.args.size() != 2) {
      std::cerr << "reos config get: needs exactly one KEY\n\n" << kUsage;
      return kExitUsage;
    }
    try {
      std::cout << config::config_value(inv.config_path, inv.environ_entries, inv.args[1]) << "\n";
      return kExitOk;
    } catch (const config::ConfigErrors& e) {
      print_errors(e.errors());
      return kExitConfig;
    }
  }
  std::cerr << "reos config: unknown subcommand '" << sub << "'\n\n" << kUsage;
  return kExitUsage;
}

}  // namespace reos::cli
