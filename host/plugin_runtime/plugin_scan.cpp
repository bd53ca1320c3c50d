#include "plugin_runtime/plugin_scan.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <system_error>

namespace reos::plugin_runtime {
namespace {

namespace fs = std::filesystem;

bool is_plugin_file_name(const std::string& name) {
  const std::string prefix = "libreos_";
  const std::string suffix = ".so";
  return name.size() > prefix.size() + suffix.size() && name.rfind(prefix, 0) == 0 &&
         name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::vector<std::string> plugin_files_in(const std::string& dir, std::string& problem) {
  std::vector<std::string> files;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    problem = "plugin directory " + dir +
              (fs::exists(dir, ec) ? " is not a directory" : " does not exist");
    return files;
  }
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (is_plugin_file_name(entry.path().filename().string())) {
      files.push_back(entry.path().string());
    }
  }
  if (ec) problem = "cannot list plugin directory " + dir + ": " + ec.message();
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

std::vector<LoadOutcome> scan_plugin_dirs(const std::vector<std::string>& dirs) {
  std::vector<LoadOutcome> outcomes;
  std::map<std::string, std::string> loaded_from;  // plugin name → path
  for (const std::string& dir : dirs) {
    std::string problem;
    const std::vector<std::string> files = plugin_files_in(dir, problem);
    if (!problem.empty()) outcomes.push_back({dir, nullptr, problem});
    for (const std::string& path : files) {
      LoadOutcome outcome{path, nullptr, ""};
      try {
        auto library = PluginLibrary::open(path);
        const std::string& name = library->info().name;
        if (const auto first = loaded_from.find(name); first != loaded_from.end()) {
          outcome.refusal =
              path + ": duplicate plugin name '" + name + "', already loaded from " + first->second;
        } else {
          loaded_from.emplace(name, path);
          outcome.library = std::move(library);
        }
      } catch (const std::exception& e) {
        outcome.refusal = e.what();
      }
      outcomes.push_back(std::move(outcome));
    }
  }
  return outcomes;
}

std::shared_ptr<PluginLibrary> find_loaded_plugin(const std::vector<LoadOutcome>& outcomes,
                                                  const std::string& name) {
  for (const LoadOutcome& outcome : outcomes) {
    if (outcome.library && outcome.library->info().name == name) return outcome.library;
  }
  return nullptr;
}

}  // namespace reos::plugin_runtime
