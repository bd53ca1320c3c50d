// rets_client.hpp — one RETS session over the host's HTTP service (reos::Call::http): Login
// (Digest or Basic, cookies, capability URLs), Search (streamed into ReplyParser), Logout.
// Requests carry User-Agent, RETS-Version, the session cookies, an Authorization computed
// from the last Digest challenge (nc incremented per request) and, with a UA password,
// RETS-UA-Authorization.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <reos/plugin.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "rets_compact_parser.hpp"
#include "rets_digest_auth.hpp"
#include "rets_login.hpp"
#include "rets_object.hpp"
#include "rets_session.hpp"
#include "rets_settings.hpp"

namespace rets {

/// The server refused the credentials (HTTP 401 after answering its challenge, or a Login
/// ReplyCode that means so).
class AuthFailed : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A RETS reply code other than success, with its text.
class ReplyError : public std::runtime_error {
 public:
  ReplyError(const std::string& what, int code) : std::runtime_error(what), code_(code) {}
  int code() const noexcept { return code_; }

 private:
  int code_;
};

class Client {
 public:
  explicit Client(Settings settings) : settings_(std::move(settings)) {}

  bool logged_in() const noexcept { return logged_in_; }
  const Capabilities& capabilities() const noexcept { return caps_; }

  /// Logs in (resolving the password secret). Throws AuthFailed, ReplyError, reos::Retry.
  void login(reos::Call& call);

  /// One Search page: Limit=settings.limit, Offset=offset+1 (RETS offsets are 1-based),
  /// Count=1. Streams DATA rows to `on_row`. Re-logs in once when the session expired (401).
  /// Throws ParseError (malformed / truncated), AuthFailed, reos::Retry, std::runtime_error.
  ReplySummary search(reos::Call& call, const std::string& query, long long offset,
                      const ReplyParser::RowFn& on_row);

  /// GetObject for `ids` ("L1:*,L2:*"): every object of type settings.photo_type. Parts that
  /// are RETS errors (20403 no object) come back with reply_code set. Throws like search();
  /// std::runtime_error when the server has no GetObject capability or the reply is cut.
  std::vector<RetsObject> get_objects(reos::Call& call, const std::string& ids);

  /// GetMetadata Type=`type`&ID=`id`&Format=COMPACT: the rows of its COLUMNS/DATA as
  /// column -> value maps (metadata replies are small). nullopt when the server has no
  /// GetMetadata capability. Throws ReplyError for a nonzero ReplyCode, else like search().
  std::optional<std::vector<std::map<std::string, std::string>>> metadata(reos::Call& call,
                                                                          const std::string& type,
                                                                          const std::string& id);

  /// Best effort Logout; forgets the session either way.
  void logout(reos::Call& call) noexcept;

  /// The Search URL (with its query string) for a page, for logs and tests.
  std::string search_url(const std::string& query, long long offset) const;

 private:
  reos::HttpResponse send(reos::Call& call, const std::string& url, const char* what);
  reos::HttpResponse send_once(reos::Call& call, const std::string& url);

  Settings settings_;
  std::string password_;
  std::string ua_password_;
  bool secrets_loaded_ = false;
  bool logged_in_ = false;
  Capabilities caps_;
  CookieJar cookies_;
  std::optional<DigestChallenge> challenge_;
  std::uint32_t nc_ = 0;
};

}  // namespace rets
