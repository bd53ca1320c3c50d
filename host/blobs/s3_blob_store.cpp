#include "blobs/s3_blob_store.hpp"

#include <atomic>
#include <random>
#include <thread>

#include "core/http_headers.hpp"
#include "net/curl_transport.hpp"
#include "net/retry_policy.hpp"

namespace reos::blobs {
namespace {

std::string tag_text(std::string_view xml, std::string_view tag) {
  const std::string open = "<" + std::string(tag) + ">";
  const std::size_t start = xml.find(open);
  if (start == std::string_view::npos) return "";
  const std::size_t from = start + open.size();
  const std::size_t end = xml.find("</" + std::string(tag) + ">", from);
  if (end == std::string_view::npos) return "";
  return std::string(xml.substr(from, end - from));
}

double unit_random() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

}  // namespace

std::string s3_error_code(std::string_view xml) {
  return tag_text(xml, "Code");
}

struct S3BlobStore::Reply {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

S3BlobStore::S3BlobStore(S3Settings settings) : settings_(std::move(settings)) {
  const std::size_t sep = settings_.endpoint.find("://");
  if (sep == std::string::npos || settings_.bucket.empty())
    throw std::invalid_argument("s3: endpoint must be scheme://host[:port] and bucket set");
  scheme_ = settings_.endpoint.substr(0, sep);
  authority_ = settings_.endpoint.substr(sep + 3);
  while (!authority_.empty() && authority_.back() == '/') authority_.pop_back();
  transport_ = std::make_unique<net::CurlTransport>(settings_.max_object_bytes, "reos-blobs");
}

S3BlobStore::~S3BlobStore() = default;

int S3BlobStore::attempts() const {
  return attempts_.load();
}

std::string S3BlobStore::describe() const {
  return "s3:" + settings_.bucket + "@" + settings_.endpoint;
}

std::string S3BlobStore::object_url(const std::string& key) const {
  const std::string path = "/" + uri_encode(settings_.prefix + key, true);
  if (settings_.virtual_hosted) return scheme_ + "://" + settings_.bucket + "." + authority_ + path;
  return scheme_ + "://" + authority_ + "/" + uri_encode(settings_.bucket, false) + path;
}

S3BlobStore::Reply S3BlobStore::send(const std::string& method, const std::string& key,
                                     std::string_view body, const std::string& content_type) const {
  check_blob_key(key);
  const net::RetryPolicy policy(settings_.max_retries, settings_.backoff_base,
                                settings_.backoff_cap);
  const std::string payload_hash = sha256_hex(body);
  const std::string url = object_url(key);
  const std::string host =
      settings_.virtual_hosted ? settings_.bucket + "." + authority_ : authority_;
  std::string last_error;
  for (int attempt = 0;; ++attempt) {
    // Signed afresh per attempt: the date moves on, and S3 refuses stale signatures.
    SigV4Request request;
    request.method = method;
    request.canonical_uri = url.substr(url.find('/', url.find("://") + 3));
    request.headers.emplace_back("Host", host);
    if (!content_type.empty()) request.headers.emplace_back("Content-Type", content_type);
    request.payload_sha256 = payload_hash;
    SigV4Scope scope{settings_.region, "s3",
                     amz_date(settings_.now ? settings_.now() : std::chrono::system_clock::now())};
    sign_headers(request, settings_.credentials, scope, true);

    plugin_runtime::HttpExchange exchange;
    exchange.method = method;
    exchange.url = url;
    exchange.request_headers = request.headers;
    exchange.request_body = std::string(body);
    ++attempts_;
    net::AttemptResult result = transport_->send(exchange, settings_.timeout);
    bool retry = false;
    if (!result.responded) {
      last_error = method + " " + url + ": " + result.error;
      retry = net::RetryPolicy::retryable_failure(result.failure, true);
    } else {
      const std::string code = s3_error_code(result.body);
      if (result.status < 300 || result.status == 404 || result.status == 304)
        return Reply{result.status, std::move(result.headers), std::move(result.body)};
      last_error = method + " " + url + ": HTTP " + std::to_string(result.status) +
                   (code.empty() ? "" : " " + code);
      const std::string message = tag_text(result.body, "Message");
      if (!message.empty()) last_error += ": " + message;
      // S3's retryable answers (docs: "Error responses" / "Retry behavior").
      retry = result.status == 500 || result.status == 502 || result.status == 503 ||
              result.status == 504 || code == "RequestTimeout" || code == "SlowDown" ||
              code == "InternalError" || code == "RequestTimeTooSkewed";
    }
    if (!retry) throw BlobError(last_error, false);
    if (attempt >= policy.max_retries()) throw BlobError(last_error + " (gave up)", true);
    std::this_thread::sleep_for(policy.backoff(attempt, unit_random()));
  }
}

void S3BlobStore::put(const std::string& key, std::string_view data,
                      const std::string& content_type) {
  const Reply r =
      send("PUT", key, data, content_type.empty() ? "application/octet-stream" : content_type);
  if (r.status >= 300) throw BlobError("PUT " + key + ": HTTP " + std::to_string(r.status), false);
}

std::optional<Blob> S3BlobStore::get(const std::string& key) const {
  Reply r = send("GET", key, {}, "");
  if (r.status == 404) return std::nullopt;
  return Blob{std::move(r.body), core::header_value(r.headers, "content-type")};
}

std::optional<BlobInfo> S3BlobStore::head(const std::string& key) const {
  const Reply r = send("HEAD", key, {}, "");
  if (r.status == 404) return std::nullopt;
  BlobInfo info;
  info.content_type = core::header_value(r.headers, "content-type");
  const std::string length = core::header_value(r.headers, "content-length");
  info.size = length.empty() ? 0 : static_cast<std::size_t>(std::stoull(length));
  return info;
}

}  // namespace reos::blobs
