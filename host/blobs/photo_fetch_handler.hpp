#pragma once

// The `photos.fetch` job (docs/photos.md): brings one listing's stored photos in line with its
// Media[]. Queued by the properties triggers of migrations/0008_property_photos.sql whenever a
// listing arrives with photos or its Media changes.

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "net/connector_http_client.hpp"
#include "queue/job.hpp"

namespace reos::db {
class ConnectionPool;
}
namespace reos::http {
class MetricsRegistry;
}

namespace reos::blobs {

class BlobStore;

struct PhotoFetchSettings {
  std::chrono::milliseconds per_photo_deadline{60000};  ///< retries of one download included
  int max_redirects = 5;
  /// The outbound client's limits; one client per tenant (connector id "photos"), so a slow
  /// photo CDN of one MLS does not hold back another tenant's rate limit or circuit breaker.
  net::ConnectorHttpSettings http;
  net::ConnectorHttpOptions http_options;
};

/// A queue::JobHandler for kind "photos.fetch" (payload {"listing_key": "…"}):
///  - reads the listing's Media[] and its property_photos rows (tenant scope);
///  - downloads only photos whose (n, MediaURL) is not stored yet — an unchanged photo is
///    never fetched again; `reos-blob:` URLs are read from the source connector's blobs;
///  - stores each under photo_blob_key(sha256) unless that blob exists (de-duplication);
///  - upserts the rows and deletes those for n no longer in Media[].
/// A photo answered 4xx or not a picture is skipped (logged); transient failures (5xx, network,
/// store) return retry after keeping what did succeed, so a retry fetches only the rest.
/// Thread-safe.
class PhotoFetchHandler {
 public:
  static constexpr const char* kKind = "photos.fetch";

  PhotoFetchHandler(db::ConnectionPool& pool, std::shared_ptr<BlobStore> store,
                    http::MetricsRegistry& metrics, PhotoFetchSettings settings = {});
  ~PhotoFetchHandler();

  queue::JobOutcome operator()(const queue::Job& job);

 private:
  struct Download;
  Download download(const std::string& tenant, const std::string& connector,
                    const std::string& url);
  net::ConnectorHttpClient& client(const std::string& tenant);

  db::ConnectionPool& pool_;
  std::shared_ptr<BlobStore> store_;
  http::MetricsRegistry& metrics_;
  PhotoFetchSettings settings_;
  std::mutex clients_mutex_;
  std::map<std::string, std::unique_ptr<net::ConnectorHttpClient>> clients_;
};

}  // namespace reos::blobs
