// twilio_test_server.hpp — the Twilio Messages API for tests, written from Twilio's published
// API reference and error dictionary: POST /2010-04-01/Accounts/{AccountSid}/Messages.json,
// form-encoded, HTTP Basic auth with the Account SID and auth token or an API key SID and
// secret; 201 with the Message resource (sid SM…, status "queued"); errors as
// {"code","message","more_info","status"}: 20003 (401), 20404 (404), 21211 invalid To, 21212
// invalid From, 21602 / 21603 / 21604 missing Body / From / To, 21610 unsubscribed recipient,
// 21614 not a mobile number, 20429 (429), 20500 (500). The test-credential magic numbers pick
// the errors: To +15005550001 → 21211, +15005550004 → 21610, +15005550009 → 21614.
#pragma once

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "http/test_server.hpp"

namespace reos::test {

struct TwilioFaults {
  std::atomic<int> rate_limited{0};    ///< the next N requests get 429 / 20429
  std::atomic<int> retry_after_s{0};   ///< Retry-After on those 429s (0 = none)
  std::atomic<int> server_errors{0};   ///< the next N requests get 500 / 20500
  std::atomic<int> slow_ms{0};         ///< every request sleeps this long first
  std::atomic<bool> malformed{false};  ///< 201 with a truncated JSON body
};

class TwilioTestServer {
 public:
  TwilioTestServer(std::string account_sid, std::string auth_token);
  /// Also accept this API key (SK…) and secret for Basic auth.
  void add_api_key(std::string sid, std::string secret);

  /// "http://127.0.0.1:<port>" — the plugin's settings.base_url.
  std::string base_url() const;

  TwilioFaults faults;
  std::atomic<int> requests{0};
  /// Form parameters of each accepted message with the sid it got, in order.
  std::vector<std::pair<std::map<std::string, std::string>, std::string>> accepted() const;
  std::map<std::string, std::string> last_headers() const;

 private:
  http::Response create_message(const http::Request& req);
  bool authorized(const http::Request& req) const;

  std::string account_sid_, auth_token_;
  std::map<std::string, std::string> api_keys_;
  mutable std::mutex mutex_;
  std::vector<std::pair<std::map<std::string, std::string>, std::string>> accepted_;
  std::map<std::string, std::string> last_headers_;
  int next_id_ = 1;
  TestServer server_;
};

}  // namespace reos::test
