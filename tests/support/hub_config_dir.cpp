#include "support/hub_config_dir.hpp"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>

namespace reos::test {

std::string make_hub_config_dir(const std::string& prefix, const std::string& plugin_dir) {
  static std::atomic<int> n{0};
  namespace fs = std::filesystem;
  const std::string dir = (fs::temp_directory_path() /
                           (prefix + "-" + std::to_string(::getpid()) + "-" + std::to_string(++n)))
                              .string();
  fs::remove_all(dir);
  fs::create_directories(dir + "/tenants");
  std::ofstream(dir + "/hub.yaml") << "plugin_dirs: [\"" << plugin_dir << "\"]\n"
                                   << "tenants_dir: tenants\nblobs: { dir: blobs }\n"
                                   << "log: { level: warn, format: json }\n";
  return dir;
}

}  // namespace reos::test
