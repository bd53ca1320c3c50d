// reso_test_server.hpp — a RESO Web API server for tests, written from the RESO Web API Core
// 2.0 and OData 4.01 specs, on the host's HttpServer (libmicrohttpd):
//   POST /oauth2/token     OAuth 2.0 client credentials (RFC 6749 §4.4; client id/secret by
//                          Basic or in the form), expiring Bearer tokens (RFC 6750)
//   GET  /odata/$metadata  CSDL (EDMX) of Property and Media
//   GET  /odata/Property   $filter (and/or/not of comparisons), $select, $top, $skip,
//                          $orderby, $expand=Media, $count=true, server-driven paging with
//                          @odata.nextLink ($skiptoken) when a page is capped
// Records are kept sorted by (ModificationTimestamp, ListingKey); a filter with a lower bound
// on the timestamp is answered by binary search, so 100,000 records serve fast.
// Faults are switched on through `faults` while it runs.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "http/test_server.hpp"
#include "reso_test_records.hpp"
#include "reso_timestamp.hpp"

namespace reos::test {

struct ResoFaults {
  std::atomic<int> status_500{0};            ///< the next N Property requests answer 500
  std::atomic<int> throttle{0};              ///< the next N Property requests answer 429
  std::atomic<int> retry_after_s{1};         ///< Retry-After of those 429s
  std::atomic<int> slow_ms{0};               ///< Property requests sleep this long first
  std::atomic<bool> truncated{false};        ///< Property bodies cut at two thirds
  std::atomic<bool> malformed{false};        ///< a record's ',' after a member becomes ';'
  std::atomic<bool> count_as_string{false};  ///< "@odata.count": "42" (RESO commander style)
  std::atomic<bool> ignore_filter{false};    ///< $filter is ignored (a broken server)
  std::atomic<bool> token_500{false};        ///< the token endpoint answers 500
};

struct ResoServerOptions {
  std::string client_id = "reos-client";
  std::string client_secret = "s3cret";
  int token_lifetime_s = 3600;  ///< expires_in of issued tokens
  int max_page_size = 1000;     ///< pages above it are capped, with a nextLink
};

class ResoTestServer {
 public:
  explicit ResoTestServer(ResoServerOptions options = {});

  std::string base_url() const;   ///< the service root, …/odata
  std::string token_url() const;  ///< …/oauth2/token
  /// Where the server serves listing photos: GET <photo_base_url()>/<ListingKey>/<file> answers
  /// a small JPEG-signed body distinct per URL (GeneratedListings::photo_base points Media here).
  std::string photo_base_url() const;

  void set_listings(std::vector<ResoListing> listings);
  /// Adds or replaces (by ListingKey) listings.
  void upsert(const std::vector<ResoListing>& listings);
  /// A token issued out of band (an MLS that hands out fixed Bearer tokens: auth: bearer).
  std::string issue_token(int lifetime_s);
  /// Revokes every issued token now (the next request with one gets 401).
  void expire_tokens();
  void set_token_lifetime(int seconds);

  ResoFaults faults;
  std::atomic<int> token_requests{0};  ///< tokens issued
  std::atomic<int> token_refusals{0};  ///< token requests refused (400/401)
  std::atomic<int> unauthorized{0};    ///< Property/$metadata requests answered 401
  std::atomic<int> pages{0};           ///< Property requests answered 200
  std::atomic<int> metadata_requests{0};
  std::atomic<int> photo_requests{0};  ///< photos served

  /// Decoded query parameters of each Property request answered 200, in order.
  std::vector<std::map<std::string, std::string>> page_log() const;

 private:
  http::Response token(const http::Request& req);
  http::Response property(const http::Request& req);
  http::Response metadata(const http::Request& req);
  http::Response photo(const http::Request& req);
  bool authorized(const http::Request& req);

  struct Stored {
    ResoListing listing;
    reso::Instant at;
  };

  ResoServerOptions options_;
  mutable std::mutex mutex_;
  std::vector<Stored> records_;                                          ///< sorted by (at, key)
  std::map<std::string, std::chrono::steady_clock::time_point> tokens_;  ///< token → expiry
  int next_token_ = 1;
  std::vector<std::map<std::string, std::string>> page_log_;
  TestServer server_;
};

/// The Property fields the server knows, with their EDM types ($metadata; a query naming
/// another field is refused with 400).
const std::vector<std::pair<const char*, const char*>>& reso_property_fields();

/// An OData error body: {"error": {"code": …, "message": …}}.
std::string odata_error_json(const std::string& code, const std::string& message);

}  // namespace reos::test
