#include "scheduler/scheduler_metrics.hpp"

#include <algorithm>

#include "http/metrics_registry.hpp"

namespace reos::scheduler {
namespace {

// Sub-second for a healthy scheduler (it wakes at the slot); minutes to days after downtime.
const std::vector<double>& lag_buckets() {
  static const std::vector<double> buckets = {0.01, 0.05, 0.1, 0.25, 0.5, 1,    2.5,   5,
                                              10,   30,   60,  300,  900, 3600, 21600, 86400};
  return buckets;
}

}  // namespace

SchedulerMetrics::SchedulerMetrics(http::MetricsRegistry& registry)
    : fires_(registry.counter("reos_schedule_fires_total",
                              "Pipeline source schedules fired (source.pull jobs enqueued)",
                              {"tenant", "pipeline"})),
      lag_(registry
               .histogram("reos_scheduler_lag_seconds",
                          "Delay between a schedule's slot and its firing", {}, lag_buckets())
               .with({})) {}

void SchedulerMetrics::record(const FiredSchedule& fired) {
  fires_.with({fired.key.tenant, fired.key.pipeline}).inc();
  const double lag = std::chrono::duration<double>(fired.fired_at - fired.plan.slot).count();
  lag_.observe(std::max(lag, 0.0));
}

}  // namespace reos::scheduler
