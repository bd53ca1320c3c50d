#include "blobs/local_blob_store.hpp"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

namespace reos::blobs {
namespace {

namespace fs = std::filesystem;

void write_atomically(const fs::path& path, std::string_view data) {
  static std::atomic<unsigned long> counter{0};
  const fs::path tmp = path.string() + ".tmp." + std::to_string(::getpid()) + "." +
                       std::to_string(counter.fetch_add(1));
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    out.flush();
    if (!out) {
      std::error_code ignored;
      fs::remove(tmp, ignored);
      throw BlobError("cannot write " + tmp.string(), true);
    }
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    throw BlobError("cannot rename " + tmp.string() + ": " + ec.message(), true);
  }
}

std::optional<std::string> read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace

LocalBlobStore::LocalBlobStore(std::string root) : root_(std::move(root)) {}

void LocalBlobStore::put(const std::string& key, std::string_view data,
                         const std::string& content_type) {
  check_blob_key(key);
  const fs::path base = fs::path(root_) / key;
  std::error_code ec;
  fs::create_directories(base.parent_path(), ec);
  if (ec)
    throw BlobError("cannot create " + base.parent_path().string() + ": " + ec.message(), true);
  // The type first: a reader that finds the bytes finds their type.
  write_atomically(base.string() + ".type", content_type);
  write_atomically(base.string() + ".blob", data);
}

std::optional<Blob> LocalBlobStore::get(const std::string& key) const {
  check_blob_key(key);
  const fs::path base = fs::path(root_) / key;
  std::optional<std::string> data = read_all(base.string() + ".blob");
  if (!data) return std::nullopt;
  return Blob{std::move(*data), read_all(base.string() + ".type").value_or("")};
}

std::optional<BlobInfo> LocalBlobStore::head(const std::string& key) const {
  check_blob_key(key);
  const fs::path base = fs::path(root_) / key;
  std::error_code ec;
  const auto size = fs::file_size(base.string() + ".blob", ec);
  if (ec) return std::nullopt;
  return BlobInfo{static_cast<std::size_t>(size), read_all(base.string() + ".type").value_or("")};
}

}  // namespace reos::blobs
