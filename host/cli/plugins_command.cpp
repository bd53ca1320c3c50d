#include <signal.h>
#include <unistd.h>

#include <cstring>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/command_line.hpp"
#include "config/hub_config.hpp"
#include "config/text_file.hpp"
#include "config/yaml_document.hpp"
#include "core/exit_codes.hpp"
#include "plugin_runtime/conformance_kit.hpp"
#include "plugin_runtime/plugin_kinds.hpp"
#include "plugin_runtime/plugin_scan.hpp"
#include "plugin_runtime/settings_schema.hpp"

namespace reos::cli {
namespace {

namespace rt = plugin_runtime;

const char* kUsage = R"(usage: reos plugins list [--dir DIR]...
       reos plugins inspect NAME [--dir DIR]...
       reos plugins test PLUGIN.so [--settings FILE]

  list      every libreos_*.so in plugin_dirs (or the --dir folders): name, version, kinds,
            ABI and path; refused files with the reason. Exit 5 when any was refused.
  inspect   everything about one loaded plugin, with its settings schema. Exit 5 when no
            loaded plugin has that name.
  test      the conformance kit: loads the plugin in this process with in-memory services
            (no network) and checks settings handling, bad inputs, repeated and concurrent
            calls and destroy for every kind it declares. Prints a table; exit 5 on any
            failed check. --settings FILE (JSON or YAML) gives valid settings (default {}).
)";

const char* kListUsage = R"(usage: reos plugins list [--dir DIR]...

Lists the plugins found in hub.yaml's plugin_dirs (or only in the --dir folders): name,
version, kinds, ABI and path, then every refused file with the reason. Exit 5 when any
file was refused, 0 otherwise.
)";

const char* kInspectUsage = R"(usage: reos plugins inspect NAME [--dir DIR]...

Prints everything about the loaded plugin NAME (found in plugin_dirs or the --dir folders):
version, description, kinds, flags, ABI, path and its settings schema. Exit 5 when no
loaded plugin has that name.
)";

const char* kTestUsage = R"(usage: reos plugins test PLUGIN.so [--settings FILE]

Runs the conformance kit against PLUGIN.so in this process, with in-memory state and blobs
and no network: bad settings must be refused with INVALID and a message, valid settings
(from FILE, JSON or YAML; default {}) must create an instance, empty and malformed inputs
must give INVALID or FAIL with a message, a valid input must give the same status 100 times
(and from 4 threads when the plugin is thread-safe), and destroy must return.
Prints one line per check; exit 0 when all pass, 5 when any fails or the plugin crashes.
)";

// Folders from --dir, else hub.yaml's plugin_dirs. Returns false after printing the problem.
bool plugin_dirs(const Invocation& inv, const std::vector<std::string>& args,
                 std::vector<std::string>& positional, std::vector<std::string>& dirs, int& exit) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--dir") {
      if (i + 1 >= args.size()) {
        std::cerr << "reos plugins: --dir needs a folder\n";
        exit = kExitUsage;
        return false;
      }
      dirs.push_back(args[++i]);
    } else if (!args[i].empty() && args[i][0] == '-') {
      std::cerr << "reos plugins: unknown option '" << args[i] << "'\n";
      exit = kExitUsage;
      return false;
    } else {
      positional.push_back(args[i]);
    }
  }
  if (!dirs.empty()) return true;
  config::HubConfig hub;
  if (!load_config_or_report(inv, hub)) {
    exit = kExitConfig;
    return false;
  }
  dirs = hub.plugin_dirs;
  return true;
}

std::string pad(std::string text, std::size_t width) {
  if (text.size() < width) text += std::string(width - text.size(), ' ');
  return text;
}

std::string abi_of(const rt::PluginInfo& info) {
  return std::to_string(info.abi_major) + "." + std::to_string(info.abi_minor);
}

int list(const Invocation& inv, const std::vector<std::string>& args) {
  if (wants_help(args)) {
    std::cout << kListUsage;
    return kExitOk;
  }
  std::vector<std::string> positional, dirs;
  int exit = kExitOk;
  if (!plugin_dirs(inv, args, positional, dirs, exit)) return exit;
  if (!positional.empty()) {
    std::cerr << "reos plugins list: unexpected argument '" << positional.front() << "'\n";
    return kExitUsage;
  }
  const auto outcomes = rt::scan_plugin_dirs(dirs);
  std::size_t widths[4] = {4, 7, 5, 3};
  for (const auto& o : outcomes) {
    if (!o.library) continue;
    const auto& info = o.library->info();
    widths[0] = std::max(widths[0], info.name.size());
    widths[1] = std::max(widths[1], info.version.size());
    widths[2] = std::max(widths[2], rt::kind_names(info.kinds).size());
    widths[3] = std::max(widths[3], abi_of(info).size());
  }
  std::cout << pad("NAME", widths[0]) << "  " << pad("VERSION", widths[1]) << "  "
            << pad("KINDS", widths[2]) << "  " << pad("ABI", widths[3]) << "  PATH\n";
  int refused = 0;
  for (const auto& o : outcomes) {
    if (!o.library) {
      ++refused;
      continue;
    }
    const auto& info = o.library->info();
    std::cout << pad(info.name, widths[0]) << "  " << pad(info.version, widths[1]) << "  "
              << pad(rt::kind_names(info.kinds), widths[2]) << "  " << pad(abi_of(info), widths[3])
              << "  " << info.path << "\n";
  }
  if (refused) {
    std::cout << "\nrefused:\n";
    for (const auto& o : outcomes) {
      if (!o.library) std::cout << "  " << o.path << ": " << o.refusal << "\n";
    }
  }
  return refused ? kExitPlugin : kExitOk;
}

int inspect(const Invocation& inv, const std::vector<std::string>& args) {
  if (wants_help(args)) {
    std::cout << kInspectUsage;
    return kExitOk;
  }
  std::vector<std::string> positional, dirs;
  int exit = kExitOk;
  if (!plugin_dirs(inv, args, positional, dirs, exit)) return exit;
  if (positional.size() != 1) {
    std::cerr << "reos plugins inspect: needs exactly one plugin NAME\n\n" << kInspectUsage;
    return kExitUsage;
  }
  const auto outcomes = rt::scan_plugin_dirs(dirs);
  const auto library = rt::find_loaded_plugin(outcomes, positional.front());
  if (!library) {
    std::cerr << "reos plugins inspect: no loaded plugin named '" << positional.front() << "'";
    for (const auto& o : outcomes) {
      if (!o.library && o.path.find("libreos_" + positional.front() + ".so") != std::string::npos) {
        std::cerr << " (" << o.refusal << ")";
      }
    }
    std::cerr << "\n";
    return kExitPlugin;
  }
  const auto& info = library->info();
  std::cout << "name:           " << info.name << "\n"
            << "version:        " << info.version << "\n"
            << "description:    " << info.description << "\n"
            << "kinds:          " << rt::kind_names(info.kinds) << "\n"
            << "flags:          " << ((info.flags & REOS_FLAG_THREAD_SAFE) ? "thread_safe" : "")
            << "\n"
            << "abi:            " << abi_of(info) << " (needs host 1." << info.min_host_minor
            << " or newer)\n"
            << "descriptor:     " << library->descriptor().struct_size << " bytes\n"
            << "path:           " << info.path << "\n"
            << "settings schema:";
  const std::string schema = library->settings_schema().pretty();
  std::cout << (schema.empty() ? " none (any object)\n" : "\n" + schema + "\n");
  return kExitOk;
}

extern "C" void report_plugin_crash(int sig) {
  const char* check = rt::conformance_check_in_progress();
  const char* head = "\nreos plugins test: FAIL: the plugin crashed (signal ";
  const char* signame = sig == SIGSEGV  ? "SIGSEGV"
                        : sig == SIGBUS ? "SIGBUS"
                        : sig == SIGFPE ? "SIGFPE"
                        : sig == SIGILL ? "SIGILL"
                                        : "SIGABRT";
  ssize_t ignored = write(STDOUT_FILENO, head, std::strlen(head));
  ignored = write(STDOUT_FILENO, signame, std::strlen(signame));
  ignored = write(STDOUT_FILENO, ") during check ", 15);
  ignored = write(STDOUT_FILENO, check, std::strlen(check));
  ignored = write(STDOUT_FILENO, "\n", 1);
  (void)ignored;
  _exit(kExitPlugin);
}

int test(const std::vector<std::string>& args) {
  if (wants_help(args)) {
    std::cout << kTestUsage;
    return kExitOk;
  }
  std::string path;
  std::string settings_file;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--settings") {
      if (i + 1 >= args.size()) {
        std::cerr << "reos plugins test: --settings needs a FILE\n";
        return kExitUsage;
      }
      settings_file = args[++i];
    } else if (!args[i].empty() && args[i][0] == '-') {
      std::cerr << "reos plugins test: unknown option '" << args[i] << "'\n\n" << kTestUsage;
      return kExitUsage;
    } else if (path.empty()) {
      path = args[i];
    } else {
      std::cerr << "reos plugins test: unexpected argument '" << args[i] << "'\n";
      return kExitUsage;
    }
  }
  if (path.empty()) {
    std::cerr << "reos plugins test: needs the plugin's .so path\n\n" << kTestUsage;
    return kExitUsage;
  }
  rt::ConformanceOptions options;
  if (!settings_file.empty()) {
    std::string text;
    if (const std::string why = config::read_text_file(settings_file, text); !why.empty()) {
      std::cerr << "reos plugins test: cannot read " << settings_file << ": " << why << "\n";
      return kExitConfig;
    }
    config::YamlDocument doc(settings_file);  // YAML is a superset of JSON: one parser for both
    std::vector<config::ConfigError> errors;
    if (!config::parse_yaml_document(text, doc, errors) || !errors.empty()) {
      for (const auto& e : errors) std::cerr << e.to_string() << "\n";
      return kExitConfig;
    }
    options.settings_json = doc.root().dump();
  }
  struct sigaction action {};
  action.sa_handler = report_plugin_crash;
  for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) sigaction(sig, &action, nullptr);

  std::cout << "conformance kit: " << path << "\n\n" << std::flush;
  const rt::ConformanceReport report = rt::run_conformance_kit(path, options);
  std::cout << rt::render_conformance_table(report);
  return report.passed() ? kExitOk : kExitPlugin;
}

}  // namespace

int plugins_command(const Invocation& inv) {
  if (inv.args.empty()) {
    std::cerr << kUsage;
    return kExitUsage;
  }
  const std::string sub = inv.args.front();
  const std::vector<std::string> rest(inv.args.begin() + 1, inv.args.end());
  if (sub == "-h" || sub == "--help" || sub == "help") {
    std::cout << kUsage;
    return kExitOk;
  }
  if (sub == "list") return list(inv, rest);
  if (sub == "inspect") return inspect(inv, rest);
  if (sub == "test") return test(rest);
  std::cerr << "reos plugins: unknown subcommand '" << sub << "'\n\n" << kUsage;
  return kExitUsage;
}

}  // namespace reos::cli
