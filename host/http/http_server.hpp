#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "http/metrics_registry.hpp"
#include "http/router.hpp"

namespace reos::http {

struct HttpServerSettings {
  std::string bind = "127.0.0.1";        ///< numeric address or host name; "" = all interfaces
  int port = 8080;                       ///< 0 = an ephemeral port (see HttpServer::port)
  int threads = 4;                       ///< worker threads; each runs handlers to completion
  std::size_t max_body_bytes = 1 << 20;  ///< larger request bodies get 413
  int shutdown_grace_ms = 10000;         ///< how long stop() lets in-flight requests finish
  int connection_timeout_s = 30;         ///< idle keep-alive / slow client cut-off
};

/// The host's HTTP server (libmicrohttpd, internal thread pool). Routes through `router`
/// and records reos_http_* metrics in `metrics`; both must outlive the server, and the
/// router must not change while it runs. Every response carries X-Request-Id; errors the
/// server produces itself (404, 405, 413, 500) are application/problem+json.
class HttpServer {
 public:
  HttpServer(HttpServerSettings settings, const Router& router, MetricsRegistry& metrics);
  /// Calls stop(), then waits for any handler that outlived the grace period.
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  /// Binds and starts serving. Throws std::runtime_error naming the address and the reason,
  /// e.g. "http: cannot listen on 127.0.0.1:8080: Address already in use". Call once.
  void start();

  /// The bound port (the real one when settings.port was 0); 0 before start().
  int port() const;

  /// Graceful stop: closes the listening socket at once (new connections are refused), lets
  /// in-flight requests finish for up to shutdown_grace_ms, then shuts the daemon down.
  /// If a handler is still running when the grace expires, stop() returns anyway and the
  /// destructor waits for that handler. Idempotent; callable from any thread (e.g. a
  /// signal-watching thread), but not from inside a handler.
  void stop();

  /// True between a successful start() and the beginning of stop().
  bool running() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace reos::http
