// The S3 test server (see the header).
#include "s3_test_server.hpp"

#include <openssl/evp.h>

#include <chrono>
#include <ctime>
#include <optional>
#include <thread>

#include "blobs/sigv4_signer.hpp"
#include "http/router.hpp"

namespace reos::test {
namespace {

std::string md5_hex(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, EVP_md5(), nullptr);
  return blobs::to_hex(std::string_view(reinterpret_cast<const char*>(md), len));
}

http::Response s3_error(int status, const std::string& code, const std::string& message,
                        const std::string& resource) {
  http::Response r;
  r.status = status;
  r.content_type = "application/xml";
  r.body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>" +
           message + "</Message><Resource>" + resource +
           "</Resource><RequestId>reos-test</RequestId></Error>";
  return r;
}

// "Credential=AK/20150830/us-east-1/s3/aws4_request, SignedHeaders=a;b, Signature=hex"
std::map<std::string, std::string> authorization_fields(const std::string& value) {
  std::map<std::string, std::string> out;
  const std::string algorithm = "AWS4-HMAC-SHA256 ";
  if (value.compare(0, algorithm.size(), algorithm) != 0) return out;
  std::size_t i = algorithm.size();
  while (i < value.size()) {
    while (i < value.size() && (value[i] == ' ' || value[i] == ',')) ++i;
    const std::size_t eq = value.find('=', i);
    if (eq == std::string::npos) break;
    std::size_t end = value.find(',', eq);
    if (end == std::string::npos) end = value.size();
    out[value.substr(i, eq - i)] = value.substr(eq + 1, end - eq - 1);
    i = end;
  }
  return out;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (true) {
    const std::size_t j = s.find(sep, i);
    out.push_back(s.substr(i, j == std::string::npos ? std::string::npos : j - i));
    if (j == std::string::npos) break;
    i = j + 1;
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> decoded_query(const std::string& query) {
  std::vector<std::pair<std::string, std::string>> out;
  if (query.empty()) return out;
  for (const std::string& pair : split(query, '&')) {
    const std::size_t eq = pair.find('=');
    out.emplace_back(http::percent_decode(pair.substr(0, eq)),
                     eq == std::string::npos ? "" : http::percent_decode(pair.substr(eq + 1)));
  }
  return out;
}

std::optional<std::time_t> parse_amz_date(const std::string& s) {
  std::tm tm{};
  if (s.size() != 16 || !strptime(s.c_str(), "%Y%m%dT%H%M%SZ", &tm)) return std::nullopt;
  return timegm(&tm);
}

}  // namespace

S3TestServer::S3TestServer(std::string access_key_id, std::string secret_access_key,
                           std::string region, std::string bucket, std::string session_token)
    : access_key_id_(std::move(access_key_id)),
      secret_access_key_(std::move(secret_access_key)),
      region_(std::move(region)),
      bucket_(std::move(bucket)),
      session_token_(std::move(session_token)) {
  // The router matches one segment per placeholder: register keys of up to 6 segments.
  std::string pattern;
  for (int depth = 1; depth <= 7; ++depth) {
    pattern += "/{s" + std::to_string(depth) + "}";
    for (const char* method : {"GET", "PUT"})
      server_.router.add(method, pattern, [this](const http::Request& r) { return handle(r); });
  }
  http::HttpServerSettings settings;
  settings.max_body_bytes = 64u << 20;
  server_.start(settings);
}

std::string S3TestServer::endpoint() const {
  return "http://127.0.0.1:" + std::to_string(server_.port());
}

std::size_t S3TestServer::object_count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return objects_.size();
}

std::optional<S3TestServer::Object> S3TestServer::object(const std::string& key) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = objects_.find(key);
  if (it == objects_.end()) return std::nullopt;
  return it->second;
}

http::Response S3TestServer::handle(const http::Request& req) {
  ++requests;
  if (const int ms = faults.slow_ms.load(); ms > 0)
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
  const std::string resource = req.path;
  if (faults.internal_error.load() > 0 && faults.internal_error.fetch_sub(1) > 0)
    return s3_error(500, "InternalError", "We encountered an internal error. Please try again.",
                    resource);
  if (faults.slow_down.load() > 0 && faults.slow_down.fetch_sub(1) > 0)
    return s3_error(503, "SlowDown", "Please reduce your request rate.", resource);

  // Addressing: virtual-hosted when the Host names the bucket, else /bucket/key.
  const std::string host = req.header("host");
  std::string key;
  if (host.compare(0, bucket_.size() + 1, bucket_ + ".") == 0) {
    ++virtual_hosted;
    key = req.path.substr(1);
  } else {
    const std::size_t slash = req.path.find('/', 1);
    const std::string bucket = req.path.substr(1, slash == std::string::npos ? slash : slash - 1);
    if (bucket != bucket_)
      return s3_error(404, "NoSuchBucket", "The specified bucket does not exist", resource);
    if (slash == std::string::npos) return s3_error(400, "InvalidRequest", "no key", resource);
    key = req.path.substr(slash + 1);
  }

  // Signature Version 4, verified from scratch.
  const auto auth = authorization_fields(req.header("authorization"));
  if (auth.count("Credential") == 0 || auth.count("SignedHeaders") == 0 ||
      auth.count("Signature") == 0)
    return s3_error(403, "AccessDenied", "Access Denied", resource);
  const std::vector<std::string> credential = split(auth.at("Credential"), '/');
  if (credential.size() != 5 || credential[0] != access_key_id_)
    return s3_error(403, "InvalidAccessKeyId",
                    "The AWS Access Key Id you provided does not exist in our records.", resource);
  if (credential[2] != region_ || credential[3] != "s3" || credential[4] != "aws4_request")
    return s3_error(400, "AuthorizationHeaderMalformed", "wrong region or service", resource);
  const std::string date = req.header("x-amz-date");
  const std::optional<std::time_t> when = parse_amz_date(date);
  if (!when || date.substr(0, 8) != credential[1])
    return s3_error(403, "AccessDenied", "x-amz-date missing or not the credential's date",
                    resource);
  if (std::abs(std::difftime(std::time(nullptr), *when)) > 15 * 60)
    return s3_error(403, "RequestTimeTooSkewed",
                    "The difference between the request time and the current time is too large.",
                    resource);
  if (!session_token_.empty() && req.header("x-amz-security-token") != session_token_)
    return s3_error(403, "InvalidToken", "The provided token is malformed or otherwise invalid.",
                    resource);
  const std::string content_sha = req.header("x-amz-content-sha256");
  if (content_sha.empty())
    return s3_error(400, "InvalidRequest", "Missing required header x-amz-content-sha256",
                    resource);
  if (content_sha != "UNSIGNED-PAYLOAD" && content_sha != blobs::sha256_hex(req.body))
    return s3_error(400, "XAmzContentSHA256Mismatch",
                    "The provided 'x-amz-content-sha256' header does not match what was computed.",
                    resource);
  blobs::SigV4Request canonical;
  canonical.method = req.method;
  canonical.canonical_uri = blobs::uri_encode(req.path, true);
  canonical.query = decoded_query(req.query);
  canonical.payload_sha256 = content_sha;
  const std::vector<std::string> signed_names = split(auth.at("SignedHeaders"), ';');
  bool has_host = false, has_sha = false;
  for (const std::string& name : signed_names) {
    has_host |= name == "host";
    has_sha |= name == "x-amz-content-sha256";
    canonical.headers.emplace_back(name, req.header(name));
  }
  if (!has_host || !has_sha)
    return s3_error(403, "AccessDenied", "host and x-amz-content-sha256 must be signed", resource);
  const blobs::SigV4Scope scope{region_, "s3", date};
  const std::string expected = blobs::signature(
      secret_access_key_, scope, blobs::string_to_sign(scope, blobs::canonical_request(canonical)));
  if (expected != auth.at("Signature")) {
    ++rejected_signatures;
    return s3_error(403, "SignatureDoesNotMatch",
                    "The request signature we calculated does not match the signature you "
                    "provided. Check your key and signing method.",
                    resource);
  }

  std::lock_guard<std::mutex> lock(mutex_);
  if (req.method == "PUT") {
    Object& o = objects_[key];
    o.data = req.body;
    o.content_type = req.header("content-type", "binary/octet-stream");
    o.etag = "\"" + md5_hex(req.body) + "\"";
    ++puts;
    http::Response r;
    r.content_type.clear();
    r.headers.emplace_back("ETag", o.etag);
    return r;
  }
  auto it = objects_.find(key);
  if (it == objects_.end())
    return s3_error(404, "NoSuchKey", "The specified key does not exist.", resource);
  http::Response r;
  r.content_type = it->second.content_type;
  r.body = it->second.data;
  r.headers.emplace_back("ETag", it->second.etag);
  return r;
}

}  // namespace reos::test
