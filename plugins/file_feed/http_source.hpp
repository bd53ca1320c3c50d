#pragma once

// file_feed's HTTP(S) side: a feed file on a web server, read by byte ranges (RFC 9110 §14)
// through whatever GET function the caller gives (the plugin passes the host's HTTP client).
// Independent of the plugin ABI so it can be tested on its own.

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "feed_reader.hpp"

namespace file_feed {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpReply {
  int status = 0;
  Headers headers;
  std::string body;
};

/// Performs one GET of `url` with `headers`; throws on transport failure.
using HttpGet = std::function<HttpReply(const std::string& url, const Headers& headers)>;

/// The server answered 429 or 5xx: try the pull again later.
class TransientFeedError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A feed at `url`. identity() asks for `Range: bytes=0-0` and learns the size from
/// Content-Range and the version from ETag (else Last-Modified; else only the size tells
/// versions apart); read() asks for one `chunk_size` range at a time, so memory is bounded by
/// a chunk plus a page. A server that ignores Range (200 with the whole body) is still read,
/// but then the whole file is held in memory for the pull — and must fit the host's response
/// size limit (64 MiB by default).
class HttpSource final : public ByteSource {
 public:
  HttpSource(std::string url, HttpGet get, std::size_t chunk_size = 1u << 20);
  Identity identity() override;
  std::size_t read(std::uint64_t offset, std::size_t max, std::string& out) override;
  std::string name() const override;
  std::size_t chunk_size() const override { return chunk_size_; }
  /// After identity(): false when the server ignored Range and the body is held whole.
  bool ranges_supported() const { return ranges_; }
  /// GET requests made so far.
  int requests() const { return requests_; }

 private:
  HttpReply get(const Headers& headers);
  std::string url_;
  HttpGet get_;
  std::size_t chunk_size_;
  bool ranges_ = true;
  std::string whole_;  ///< the body when the server ignores Range
  int requests_ = 0;
};

/// FNV-1a 64 of `text`, never 0 (0 means "no identity" in a cursor).
std::uint64_t feed_identity_hash(const std::string& text);

}  // namespace file_feed
