#pragma once

// A started HttpServer on an ephemeral loopback port, with its router and registry, for
// tests that speak real HTTP to it.

#include <memory>

#include "http/http_server.hpp"
#include "http/metrics_registry.hpp"
#include "http/router.hpp"

namespace reos::http::test {

struct TestServer {
  Router router;
  MetricsRegistry metrics;
  std::unique_ptr<HttpServer> server;

  /// Call after adding routes.
  void start(HttpServerSettings settings = {}) {
    settings.bind = "127.0.0.1";
    settings.port = 0;
    server = std::make_unique<HttpServer>(settings, router, metrics);
    server->start();
  }
  int port() const { return server->port(); }
};

}  // namespace reos::http::test
