#pragma once

// AWS Signature Version 4 (docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv.html):
// the canonical request, the string to sign, the derived signing key and the signature, for
// both the Authorization-header form and the presigned-query form. Checked against the AWS
// test-suite vectors (tests/blobs/sigv4_vectors_test.cpp). Paths are used as given (S3 does
// not normalize them); callers pass them already URI-encoded (uri_encode(path, true)).

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace reos::blobs {

struct SigV4Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  ///< "" when none (long-term keys)
};

/// What the signer needs of a request. Query names/values are NOT encoded (the signer
/// encodes them); headers are (name, value) as sent, any case.
struct SigV4Request {
  std::string method;
  std::string canonical_uri = "/";  ///< URI-encoded path
  std::vector<std::pair<std::string, std::string>> query;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string payload_sha256;  ///< hex, or "UNSIGNED-PAYLOAD"
};

/// Where and when a request is signed.
struct SigV4Scope {
  std::string region;
  std::string service;
  std::string amz_date;  ///< "YYYYMMDDTHHMMSSZ"
  std::string date() const { return amz_date.substr(0, 8); }
  /// "<date>/<region>/<service>/aws4_request"
  std::string credential_scope() const;
};

/// Lowercase hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);
/// HMAC-SHA256 of `data` keyed with `key` (raw bytes).
std::string hmac_sha256(std::string_view key, std::string_view data);
std::string to_hex(std::string_view bytes);
/// RFC 3986 encoding as SigV4 wants it: every byte except A-Z a-z 0-9 - . _ ~ becomes %XX
/// (uppercase); '/' too unless `keep_slash`.
std::string uri_encode(std::string_view s, bool keep_slash);
/// "YYYYMMDDTHHMMSSZ" for `t` in UTC.
std::string amz_date(std::chrono::system_clock::time_point t);

/// The canonical request; `signed_headers` receives "host;x-amz-date;…". Every header of
/// `request` is signed.
std::string canonical_request(const SigV4Request& request, std::string* signed_headers = nullptr);
std::string string_to_sign(const SigV4Scope& scope, std::string_view canonical_request);
/// Hex signature of `string_to_sign` with the key derived from `secret_access_key`.
std::string signature(std::string_view secret_access_key, const SigV4Scope& scope,
                      std::string_view string_to_sign);

/// Header form: adds X-Amz-Date, X-Amz-Security-Token (when there is a session token),
/// x-amz-content-sha256 (when `content_sha256_header`; S3 requires it) and Authorization to
/// `request.headers`. Returns the Authorization value.
std::string sign_headers(SigV4Request& request, const SigV4Credentials& credentials,
                         const SigV4Scope& scope, bool content_sha256_header);

/// Presigned-query form: adds the X-Amz-* parameters and X-Amz-Signature to `request.query`.
/// Returns the signature.
std::string presign_query(SigV4Request& request, const SigV4Credentials& credentials,
                          const SigV4Scope& scope, int expires_s);

}  // namespace reos::blobs
