#pragma once

#include "scheduler/schedule_store.hpp"

namespace reos::http {
class MetricsRegistry;
template <class Metric>
class Family;
class Counter;
class Histogram;
}  // namespace reos::http

namespace reos::scheduler {

/// The scheduler's Prometheus series:
/// - `reos_schedule_fires_total{tenant,pipeline}` — slots fired (by any process, counted by
///   the one that fired it);
/// - `reos_scheduler_lag_seconds` — fire time − slot (how late a run started; after downtime
///   it includes the downtime, since the earliest missed slot names the run).
class SchedulerMetrics {
 public:
  explicit SchedulerMetrics(http::MetricsRegistry& registry);
  void record(const FiredSchedule& fired);

 private:
  http::Family<http::Counter>& fires_;
  http::Histogram& lag_;
};

}  // namespace reos::scheduler
