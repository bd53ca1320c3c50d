#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "config/hub_config.hpp"

namespace reos::config::test {

inline std::string fixture(const std::string& relative) {
  return std::string(REOS_SOURCE_DIR) + "/tests/config/fixtures/" + relative;
}

inline std::string repo_path(const std::string& relative) {
  return (std::filesystem::path(REOS_SOURCE_DIR) / relative).lexically_normal().string();
}

inline std::vector<std::string> rendered(const std::vector<ConfigError>& errors) {
  std::vector<std::string> lines;
  for (const ConfigError& error : errors) lines.push_back(error.to_string());
  return lines;
}

/// The errors load_hub_config throws, rendered; empty when it loads.
inline std::vector<std::string> hub_load_errors(const std::string& path,
                                                const std::vector<std::string>& environ_entries,
                                                EnvLookup env) {
  try {
    load_hub_config(path, environ_entries, env);
  } catch (const ConfigErrors& e) {
    return rendered(e.errors());
  }
  return {};
}

/// An EnvLookup over a map the test fills (EnvLookup is a plain function pointer).
inline std::map<std::string, std::string>& fake_env() {
  static std::map<std::string, std::string> values;
  return values;
}
inline const char* fake_lookup(const char* name) {
  const auto it = fake_env().find(name);
  return it == fake_env().end() ? nullptr : it->second.c_str();
}

/// A fresh directory under the system temp dir, removed with the object.
class TempDir {
 public:
  explicit TempDir(const std::string& tag)
      : path_(std::filesystem::temp_directory_path() /
              ("reos-config-" + tag + "-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string write(const std::string& relative, const std::string& content) const {
    const std::filesystem::path file = path_ / relative;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file) << content;
    return file.string();
  }

 private:
  std::filesystem::path path_;
};

}  // namespace reos::config::test
