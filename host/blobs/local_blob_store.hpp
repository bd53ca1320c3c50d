#pragma once

#include <string>

#include "blobs/blob_store.hpp"

namespace reos::blobs {

/// Blobs in a local directory: `<root>/<key>.blob` holds the bytes, `<root>/<key>.type` the
/// content type. Both are written to a temporary file in the same directory and renamed into
/// place (type first), so a reader sees a whole object or none, and a crash leaves at most a
/// stray `*.tmp.*` file.
class LocalBlobStore final : public BlobStore {
 public:
  /// `root` is created on the first put.
  explicit LocalBlobStore(std::string root);
  void put(const std::string& key, std::string_view data, const std::string& content_type) override;
  std::optional<Blob> get(const std::string& key) const override;
  std::optional<BlobInfo> head(const std::string& key) const override;
  std::string describe() const override { return "local:" + root_; }

 private:
  std::string root_;
};

}  // namespace reos::blobs
