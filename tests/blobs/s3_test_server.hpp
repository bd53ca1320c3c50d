// s3_test_server.hpp — an S3-compatible object server for tests, written from the Amazon S3
// REST API reference (PutObject, GetObject, HeadObject, "Error responses") on the host's
// HttpServer. It VERIFIES every request's AWS Signature Version 4 itself: the canonical
// request is rebuilt from what arrived (signed headers, path, query, x-amz-content-sha256
// checked against the body) and compared with the Authorization header; a wrong secret gets
// 403 SignatureDoesNotMatch as S3's XML error document. Path-style (/bucket/key) and
// virtual-hosted (Host: bucket.host) requests are both understood. Objects live in memory.
#pragma once

#include <atomic>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "http/test_server.hpp"

namespace reos::test {

struct S3Faults {
  std::atomic<int> internal_error{0};  ///< the next N requests answer 500 InternalError
  std::atomic<int> slow_down{0};       ///< the next N requests answer 503 SlowDown
  std::atomic<int> slow_ms{0};         ///< every request sleeps this long first
};

class S3TestServer {
 public:
  S3TestServer(std::string access_key_id, std::string secret_access_key, std::string region,
               std::string bucket, std::string session_token = "");

  /// "http://127.0.0.1:<port>" (path-style); "http://localhost:<port>" suits virtual-hosted
  /// requests (curl resolves bucket.localhost to loopback).
  std::string endpoint() const;
  int port() const { return server_.port(); }

  struct Object {
    std::string data;
    std::string content_type;
    std::string etag;  ///< quoted MD5 hex, as S3 reports single-part uploads
  };
  std::size_t object_count() const;
  /// The object stored under `key` (no bucket), or nullptr.
  std::optional<Object> object(const std::string& key) const;

  S3Faults faults;
  std::atomic<int> requests{0};  ///< every request that reached a handler
  std::atomic<int> puts{0};      ///< successful PUTs
  std::atomic<int> rejected_signatures{0};
  std::atomic<int> virtual_hosted{0};  ///< requests addressed through the Host header

 private:
  http::Response handle(const http::Request& req);

  std::string access_key_id_, secret_access_key_, region_, bucket_, session_token_;
  mutable std::mutex mutex_;
  std::map<std::string, Object> objects_;
  TestServer server_;
};

}  // namespace reos::test
