#include "http/health_routes.hpp"

#include "core/build_info.hpp"
#include "http/problem_json.hpp"
#include "log/logger.hpp"

namespace reos::http {
namespace {

// Probes and scrapes must always see the current state, never a proxy's cached copy.
Response no_store(Response r) {
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

}  // namespace

void add_health_routes(Router& router, MetricsRegistry& metrics,
                       std::function<ReadinessResult()> readiness) {
  const BuildInfo& info = build_info();
  metrics
      .gauge("reos_build_info", "Build of the running reos binary; always 1", {"version", "commit"})
      .with({info.version, info.git_commit})
      .set(1);

  router.add("GET", "/healthz",
             [](const Request&) { return no_store(json_response(200, R"({"status":"ok"})")); });

  router.add("GET", "/readyz", [readiness = std::move(readiness)](const Request& req) {
    ReadinessResult result;
    try {
      result = readiness ? readiness() : ReadinessResult{true, ""};
    } catch (const std::exception& e) {
      log::error("http: readiness probe failed", {{"error", e.what()}});
      result = {false, "readiness check failed (see the server log)"};
    }
    if (result.ready) return no_store(json_response(200, R"({"status":"ready"})"));
    return no_store(problem(503, "Service Unavailable",
                            result.reason.empty() ? "not ready" : result.reason, req.path));
  });

  router.add("GET", "/metrics", [&metrics](const Request&) {
    Response r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = metrics.render();
    return no_store(std::move(r));
  });
}

}  // namespace reos::http
