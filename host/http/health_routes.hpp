#pragma once

#include <functional>
#include <string>

#include "http/metrics_registry.hpp"
#include "http/router.hpp"

namespace reos::http {

/// What the readiness probe reports; `reason` is shown to the caller of /readyz when not
/// ready, so it should say what to do ("migrations behind: run `reos migrate`").
struct ReadinessResult {
  bool ready = false;
  std::string reason;
};

/// Registers the operational endpoints:
///   GET /healthz  200 {"status":"ok"} while the process serves HTTP (never touches the DB);
///   GET /readyz   200 {"status":"ready"}, or 503 problem+json whose detail is the reason;
///   GET /metrics  Prometheus text format 0.0.4 from `metrics`.
/// Also registers the reos_build_info gauge. `readiness` runs on every /readyz call (keep it
/// cheap, e.g. a cached result or a short query); if it throws, /readyz answers 503.
void add_health_routes(Router& router, MetricsRegistry& metrics,
                       std::function<ReadinessResult()> readiness);

}  // namespace reos::http
