#pragma once

#include <string>
#include <string_view>

#include "plugin_runtime/host_services.hpp"

namespace reos::plugin_runtime {

/// One connector's blobs in a local folder: `<dir>/<sha256(key)>` holds the bytes and
/// `<dir>/<sha256(key)>.type` the content type. Keys are hashed so any key is a safe file
/// name. Writes go to a temporary file renamed into place, so a reader sees a whole blob or
/// none. Thread-safe (no shared state besides the file system).
class BlobDirectory {
 public:
  /// `dir` is created on the first put.
  explicit BlobDirectory(std::string dir);

  ServiceStatus put(std::string_view key, std::string_view data, std::string_view content_type);
  /// REOS_NOT_FOUND when absent.
  ServiceStatus get(std::string_view key, std::string& data) const;
  /// The content type stored with `key` ("" when absent or none was given).
  std::string content_type(std::string_view key) const;

  const std::string& dir() const { return dir_; }

 private:
  std::string path_of(std::string_view key) const;
  std::string dir_;
};

}  // namespace reos::plugin_runtime
