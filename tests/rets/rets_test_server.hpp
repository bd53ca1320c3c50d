// rets_test_server.hpp — a RETS 1.7.2 server for tests, written from the spec, on the host's
// HttpServer: Login with HTTP Digest (qop=auth, one nonce per challenge, nc replay check; Basic
// accepted too) and a RETS-Session-ID cookie; Search (COMPACT-DECODED, Count, Limit/Offset,
// MAXROWS, 20201 in a RETS-STATUS child, a "(ModificationTimestamp=X+)" filter); GetMetadata
// (CLASS, TABLE); GetObject (multipart/parallel, 20403 parts, Location=1 with a URL per part
// and no body); Logout. Every request after
// Login must carry a valid Authorization and the session cookie, else 401 with a fresh
// challenge. Faults are switched on through `faults` while it runs.
#pragma once

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "http/test_server.hpp"

namespace reos::test {

struct RetsFaults {
  std::atomic<bool> search_500{false};     ///< Search answers HTTP 500
  std::atomic<int> slow_ms{0};             ///< Search sleeps this long first
  std::atomic<bool> truncated{false};      ///< Search body cut in half
  std::atomic<bool> malformed{false};      ///< Search body with a mismatched end tag
  std::atomic<bool> ignore_offset{false};  ///< Search always starts at the first row
  std::atomic<int> reply_code{0};          ///< nonzero: Search answers this ReplyCode
  std::atomic<int> code_with_rows{0};      ///< nonzero: rows sent under this ReplyCode, no MAXROWS
  std::atomic<bool> forget_sessions{false};    ///< next Search finds its session gone (once)
  std::atomic<bool> objects_truncated{false};  ///< GetObject multipart without its end
};

struct RetsListing {
  std::string key;
  std::string modified;  ///< ModificationTimestamp
  std::string price;
  std::string city;
  std::vector<std::string> extra{};  ///< values of the server's extra columns, in order
};

/// Every system name connectors/mls/rets_generic.yaml reads beyond the four every server
/// here has: set them as extra columns to serve a "generic RETS server" the map can check.
const std::vector<std::string>& rets_generic_extra_columns();

class RetsTestServer {
 public:
  /// Listens on 127.0.0.1:`port` (0: an ephemeral port, what tests use).
  RetsTestServer(std::string user, std::string password, int port = 0);

  std::string login_url() const;
  /// Requires RETS-UA-Authorization computed with this UA password on every request.
  void require_ua_password(std::string ua_password);
  void set_listings(std::vector<RetsListing> listings);
  void add_listing(RetsListing listing);
  /// More columns after ListingKey, ModificationTimestamp, ListPrice, City (in Search replies
  /// and METADATA-TABLE), filled from each listing's `extra`.
  void set_extra_columns(std::vector<std::string> names);
  std::size_t listing_count() const;

  RetsFaults faults;
  std::atomic<int> logins{0};      ///< successful Logins
  std::atomic<int> challenges{0};  ///< 401s sent
  std::atomic<int> searches{0};    ///< Search requests answered 200
  std::atomic<int> logouts{0};
  std::atomic<int> get_objects{0};
  std::atomic<int> get_objects_by_location{0};  ///< of them, with Location=1
  std::atomic<int> get_metadata_calls{0};
  /// Query= and Offset= of each Search, in order; the last request's headers.
  std::vector<std::pair<std::string, std::string>> search_log() const;
  std::map<std::string, std::string> last_headers() const;

 private:
  http::Response challenge();
  bool authorized(const http::Request& req);
  http::Response login(const http::Request& req);
  http::Response search(const http::Request& req);
  http::Response logout(const http::Request& req);
  http::Response get_object(const http::Request& req);
  http::Response get_metadata(const http::Request& req);

  bool ua_ok(const http::Request& req, const std::string& session) const;

  std::string user_, password_, ua_password_;
  mutable std::mutex mutex_;
  void sort_listings();                     ///< caller holds mutex_
  std::string extra_metadata_rows() const;  ///< METADATA-TABLE rows of extra_columns_

  std::vector<RetsListing> listings_;  ///< by (modified, key) once sorted_
  bool sorted_ = false;
  std::vector<std::string> extra_columns_;
  /// issued nonce -> last nc seen and the "cnonce uri" it came with
  std::map<std::string, std::pair<unsigned, std::string>> nonces_;
  std::map<std::string, bool> sessions_;
  int next_id_ = 1;
  std::vector<std::pair<std::string, std::string>> search_log_;
  std::map<std::string, std::string> last_headers_;
  TestServer server_;
};

}  // namespace reos::test
