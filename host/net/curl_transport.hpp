#pragma once

// One HTTP attempt over libcurl, nothing more: no retries, no rate limit, no breaker (the
// ConnectorHttpClient layers those on top). Keeps a few idle easy handles so consecutive
// requests to the same provider reuse their connection (and TLS session).

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "net/retry_policy.hpp"
#include "plugin_runtime/host_services.hpp"

namespace reos::net {

/// How one attempt ended.
struct AttemptResult {
  bool responded = false;  ///< an HTTP response (any status) arrived in full
  int status = 0;          ///< when responded
  std::vector<std::pair<std::string, std::string>> headers;  ///< of the final response
  std::string body;                                          ///< when responded
  TransportFailure failure = TransportFailure::after_send;   ///< when !responded
  std::string error;  ///< when !responded: what went wrong, e.g. "Connection refused"
};

/// Thread-safe: concurrent send() calls use different easy handles.
class CurlTransport {
 public:
  /// Bodies longer than `max_response_bytes` fail the attempt permanently.
  /// `user_agent` is sent unless the request sets its own User-Agent.
  CurlTransport(std::size_t max_response_bytes, std::string user_agent);
  ~CurlTransport();
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  /// Sends the request half of `request` once, giving up after `timeout` (at least 1 ms).
  /// Redirects are not followed (a 3xx is returned as it is); only http and https are
  /// spoken; TLS peers are verified against the system CA store. Request headers are sent
  /// as given; curl's own defaults that would change a request's meaning are suppressed
  /// (no "Expect: 100-continue", no implicit form Content-Type).
  AttemptResult send(const plugin_runtime::HttpExchange& request,
                     std::chrono::milliseconds timeout);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace reos::net
