// sendgrid_test_server.hpp — the SendGrid v3 Mail Send endpoint for tests, written from
// SendGrid's published API reference: POST /v3/mail/send with `Authorization: Bearer <key>`;
// 202 Accepted with an empty body and X-Message-Id; 400 with {"errors":[{"message","field",
// "help"}]} naming every bad field (from, subject, content order, personalizations, categories,
// custom_args, attachments); 401 for a wrong key; 429 with X-RateLimit-Limit / -Remaining /
// -Reset (Unix seconds); 500. Faults are switched on through `faults` while it runs.
#pragma once

#include <atomic>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "http/test_server.hpp"

namespace reos::test {

struct SendGridFaults {
  std::atomic<int> rate_limited{0};    ///< the next N requests get 429
  std::atomic<int> reset_in_s{2};      ///< X-RateLimit-Reset = now + this
  std::atomic<int> server_errors{0};   ///< the next N requests get 500
  std::atomic<int> slow_ms{0};         ///< every request sleeps this long first
  std::atomic<bool> malformed{false};  ///< answer 400 with an HTML body (a broken proxy)
};

class SendGridTestServer {
 public:
  explicit SendGridTestServer(std::string api_key);

  /// "http://127.0.0.1:<port>" — the plugin's settings.base_url.
  std::string base_url() const;

  SendGridFaults faults;
  std::atomic<int> requests{0};  ///< every POST /v3/mail/send
  /// Bodies of the accepted sends and the X-Message-Id each got, in order.
  std::vector<std::pair<nlohmann::json, std::string>> accepted() const;
  std::map<std::string, std::string> last_headers() const;

 private:
  http::Response mail_send(const http::Request& req);

  std::string api_key_;
  mutable std::mutex mutex_;
  std::vector<std::pair<nlohmann::json, std::string>> accepted_;
  std::map<std::string, std::string> last_headers_;
  int next_id_ = 1;
  TestServer server_;
};

}  // namespace reos::test
