#pragma once

// The job queue's Prometheus series. Each family is registered once per registry; the
// per-kind series are looked up on the hot path (one shared-lock map lookup each).

#include <string>

namespace reos::http {
class MetricsRegistry;
template <class Metric>
class Family;
class Counter;
class Gauge;
class Histogram;
}  // namespace reos::http

namespace reos::queue {

/// Thread-safe; a default-constructed (registry-less) instance records nothing.
class QueueMetrics {
 public:
  QueueMetrics() = default;
  explicit QueueMetrics(http::MetricsRegistry& registry);

  void claimed(const std::string& kind, double pickup_latency_s);
  /// `outcome`: succeeded | retried | failed | dead | lease_lost.
  void finished(const std::string& kind, const char* outcome);
  void handler_started();
  void handler_ended();

 private:
  http::Family<http::Counter>* claimed_ = nullptr;
  http::Family<http::Counter>* completed_ = nullptr;
  http::Family<http::Histogram>* pickup_latency_ = nullptr;
  http::Gauge* in_flight_ = nullptr;
};

}  // namespace reos::queue
