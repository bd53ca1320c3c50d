#pragma once

// Where the hub keeps binary objects (listing photos, plugins' blobs): a key → bytes +
// content type store. Two implementations: LocalBlobStore (a directory; the default) and
// S3BlobStore (any S3-compatible service, signed with AWS SigV4). See docs/blobs.md.

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace reos::blobs {

/// A store operation failed (not "absent": that is an empty optional). `retryable` says
/// whether trying again later may succeed (network trouble, 5xx, SlowDown).
class BlobError : public std::runtime_error {
 public:
  BlobError(const std::string& what, bool retryable)
      : std::runtime_error(what), retryable_(retryable) {}
  bool retryable() const { return retryable_; }

 private:
  bool retryable_;
};

/// What head() knows about an object.
struct BlobInfo {
  std::size_t size = 0;
  std::string content_type;
};

struct Blob {
  std::string data;
  std::string content_type;
};

/// Thread-safe. Keys are 1..1024 bytes of [A-Za-z0-9/._-], '/'-separated segments none of
/// which is empty or starts with '.'; anything else throws std::invalid_argument.
class BlobStore {
 public:
  virtual ~BlobStore() = default;
  /// Stores (or replaces) `key`; a reader sees the old or the new object, never a part.
  virtual void put(const std::string& key, std::string_view data,
                   const std::string& content_type) = 0;
  /// nullopt when absent.
  virtual std::optional<Blob> get(const std::string& key) const = 0;
  /// nullopt when absent.
  virtual std::optional<BlobInfo> head(const std::string& key) const = 0;
  bool exists(const std::string& key) const { return head(key).has_value(); }
  /// "local:/path" or "s3:bucket@endpoint", for logs.
  virtual std::string describe() const = 0;
};

/// Throws std::invalid_argument naming the problem when `key` is not a valid key.
void check_blob_key(std::string_view key);

}  // namespace reos::blobs
