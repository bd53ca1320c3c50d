#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "blobs/blob_store.hpp"
#include "blobs/sigv4_signer.hpp"

namespace reos::net {
class CurlTransport;
}

namespace reos::blobs {

struct S3Settings {
  std::string endpoint;  ///< "https://s3.eu-west-1.amazonaws.com" or "http://127.0.0.1:9000"
  std::string bucket;
  std::string region = "us-east-1";
  std::string prefix;           ///< prepended to every key, e.g. "reos/" ("" = none)
  bool virtual_hosted = false;  ///< bucket.host/key instead of host/bucket/key
  SigV4Credentials credentials;
  std::chrono::milliseconds timeout{30000};  ///< per attempt
  int max_retries = 3;
  std::chrono::milliseconds backoff_base{200};
  std::chrono::milliseconds backoff_cap{5000};
  std::size_t max_object_bytes = 64u << 20;
  /// The signing clock (tests pin it); system_clock::now when empty.
  std::function<std::chrono::system_clock::time_point()> now;
};

/// PUT/GET/HEAD Object against an S3-compatible service, each request signed with SigV4
/// (header form, x-amz-content-sha256 = the payload hash). Retries what S3 documents as
/// retryable: 500, 502, 503 (SlowDown), 504, RequestTimeout and transport failures, with
/// full-jitter backoff; a 403 (SignatureDoesNotMatch, AccessDenied, …) fails at once with
/// S3's error Code in the message.
class S3BlobStore final : public BlobStore {
 public:
  explicit S3BlobStore(S3Settings settings);
  ~S3BlobStore() override;
  void put(const std::string& key, std::string_view data, const std::string& content_type) override;
  std::optional<Blob> get(const std::string& key) const override;
  std::optional<BlobInfo> head(const std::string& key) const override;
  std::string describe() const override;

  /// The object's URL (path-style or virtual-hosted), as requested.
  std::string object_url(const std::string& key) const;
  /// Attempts made since construction (retries included), for tests and metrics.
  int attempts() const;

 private:
  struct Reply;
  Reply send(const std::string& method, const std::string& key, std::string_view body,
             const std::string& content_type) const;
  S3Settings settings_;
  std::string scheme_, authority_;  ///< of the endpoint
  std::unique_ptr<net::CurlTransport> transport_;
  mutable std::atomic<int> attempts_{0};
};

/// The `Code` of an S3 error document (<Error><Code>…</Code>…), "" when absent.
std::string s3_error_code(std::string_view xml);

}  // namespace reos::blobs
