#pragma once

// A started HttpServer on an ephemeral loopback port, with its router and registry, for
// tests that speak real HTTP to it.

#include <memory>

#include "http/http_server.hpp"
#include "http/metrics_registry.hpp"
#include "http/router.hpp"

namespace reos::test {

struct TestServer {
  http::Router router;
  http::MetricsRegistry metrics;
  std::unique_ptr<http::HttpServer> server;

  /// Call after adding routes.
  void start(http::HttpServerSettings settings = {}) {
    settings.bind = "127.0.0.1";
    settings.port = 0;
    server = std::make_unique<http::HttpServer>(settings, router, metrics);
    server->start();
  }
  int port() const { return server->port(); }
};

}  // namespace reos::test
