#pragma once

// Paths of the test plugins (tests/plugins/*.c, built by tests/plugin_runtime/CMakeLists.txt)
// and a scratch folder that removes itself.

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>

namespace reos::test {

/// ${build}/test_plugins/libreos_<name>.so
inline std::string test_plugin(const std::string& name) {
  return std::string(REOS_TEST_PLUGIN_DIR) + "/libreos_" + name + ".so";
}

/// A fresh folder under the system temp dir, deleted with everything in it on destruction.
class ScratchDir {
 public:
  ScratchDir() {
    static std::atomic<int> counter{0};
    path_ = (std::filesystem::temp_directory_path() /
             ("reos-rt-" + std::to_string(::getpid()) + "-" + std::to_string(counter++)))
                .string();
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }
  /// Writes `text` to <dir>/<name> and returns the path.
  std::string write(const std::string& name, const std::string& text) const {
    std::filesystem::create_directories(std::filesystem::path(file(name)).parent_path());
    std::ofstream(file(name)) << text;
    return file(name);
  }
  /// Copies a built test plugin into the folder under `as` (a file name).
  std::string add_plugin(const std::string& name, const std::string& as) const {
    std::filesystem::create_directories(std::filesystem::path(file(as)).parent_path());
    std::filesystem::copy_file(test_plugin(name), file(as),
                               std::filesystem::copy_options::overwrite_existing);
    return file(as);
  }

 private:
  std::string path_;
};

}  // namespace reos::test
