#pragma once

// Local servers that misbehave on purpose, for the outbound HTTP client's tests:
//  - ScriptedServer: a real reos HttpServer on loopback whose routes /s/<name> answer with a
//    scripted sequence of responses (503, 503, 200 …; Retry-After; slow answers) and count
//    the requests they saw;
//  - DroppingServer: accepts TCP connections, reads the request, closes without answering;
//  - refused_port(): a loopback port nobody listens on.

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "http/http_types.hpp"
#include "http/test_server.hpp"

namespace reos::test {

/// One scripted answer: `response`, sent after `delay`.
struct Step {
  http::Response response;
  std::chrono::milliseconds delay{0};
};

/// A response with `status`, `body` (text/plain) and extra headers.
Step reply(int status, std::string body = "",
           std::vector<std::pair<std::string, std::string>> headers = {},
           std::chrono::milliseconds delay = std::chrono::milliseconds(0));

class ScriptedServer {
 public:
  /// Starts at once (GET, HEAD, POST, PUT, PATCH, DELETE on /s/{name}).
  ScriptedServer();

  /// Answers to /s/<name>, in order; the last one repeats. Resets the hit count.
  void script(const std::string& name, std::vector<Step> steps);
  /// Requests /s/<name> has seen.
  int hits(const std::string& name);
  /// The last request to /s/<name> (empty Request when none).
  http::Request last_request(const std::string& name);
  /// http://127.0.0.1:<port>/s/<name>
  std::string url(const std::string& name) const;

 private:
  struct Script {
    std::vector<Step> steps;
    int hits = 0;
    http::Request last;
  };
  http::Response handle(const http::Request& request);

  std::mutex mutex_;
  std::map<std::string, Script> scripts_;
  TestServer server_;
};

/// Accepts connections and drops each one after reading the request head: the client sees
/// the connection close with no response (curl: "Empty reply from server").
class DroppingServer {
 public:
  DroppingServer();
  ~DroppingServer();
  DroppingServer(const DroppingServer&) = delete;
  DroppingServer& operator=(const DroppingServer&) = delete;

  int port() const { return port_; }
  int connections() const { return connections_.load(); }
  std::string url(const std::string& path) const;

 private:
  void run();
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  std::thread thread_;
};

/// A loopback port that was free a moment ago and has no listener (connection refused).
int refused_port();

}  // namespace reos::test
