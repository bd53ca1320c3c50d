#include "plugin_runtime/blob_directory.hpp"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "db/migration_set.hpp"
#include "reos/plugin.h"

namespace reos::plugin_runtime {
namespace {

namespace fs = std::filesystem;

bool write_file_atomically(const std::string& path, std::string_view data, std::string& error) {
  static std::atomic<unsigned long> counter{0};
  const std::string tmp =
      path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter.fetch_add(1));
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    out.close();
    if (!out) {
      error = "cannot write " + tmp;
      std::error_code ignored;
      fs::remove(tmp, ignored);
      return false;
    }
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    error = "cannot rename " + tmp + ": " + ec.message();
    fs::remove(tmp, ec);
    return false;
  }
  return true;
}

bool read_file(const std::string& path, std::string& data) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  data = buffer.str();
  return true;
}

}  // namespace

BlobDirectory::BlobDirectory(std::string dir) : dir_(std::move(dir)) {}

std::string BlobDirectory::path_of(std::string_view key) const {
  return dir_ + "/" + db::sha256_hex(std::string(key));
}

ServiceStatus BlobDirectory::put(std::string_view key, std::string_view data,
                                 std::string_view content_type) {
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) return {REOS_FAIL, "blob_put: cannot create " + dir_ + ": " + ec.message()};
  const std::string path = path_of(key);
  std::string error;
  // The type first: a reader that finds the bytes finds their type.
  if (!write_file_atomically(path + ".type", content_type, error) ||
      !write_file_atomically(path, data, error)) {
    return {REOS_FAIL, "blob_put: " + error};
  }
  return {};
}

ServiceStatus BlobDirectory::get(std::string_view key, std::string& data) const {
  if (!read_file(path_of(key), data)) {
    return {REOS_NOT_FOUND, "blob_get: no blob '" + std::string(key) + "'"};
  }
  return {};
}

std::string BlobDirectory::content_type(std::string_view key) const {
  std::string type;
  read_file(path_of(key) + ".type", type);
  return type;
}

}  // namespace reos::plugin_runtime
