#include "queue/queue_metrics.hpp"

#include "http/metrics_registry.hpp"

namespace reos::queue {

QueueMetrics::QueueMetrics(http::MetricsRegistry& registry)
    : claimed_(&registry.counter("reos_jobs_claimed_total", "Jobs leased to a worker.", {"kind"})),
      completed_(&registry.counter("reos_jobs_completed_total",
                                   "Job attempts finished, by outcome (succeeded, retried, "
                                   "failed, dead, lease_lost).",
                                   {"kind", "outcome"})),
      pickup_latency_(&registry.histogram(
          "reos_job_pickup_latency_seconds",
          "Seconds from when a job became due (max of run_at and created_at) to its claim.",
          {"kind"},
          {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60})),
      in_flight_(
          &registry.gauge("reos_jobs_in_flight", "Job handlers running right now.").with({})) {}

void QueueMetrics::claimed(const std::string& kind, double pickup_latency_s) {
  if (!claimed_) return;
  claimed_->with({kind}).inc();
  pickup_latency_->with({kind}).observe(pickup_latency_s);
}

void QueueMetrics::finished(const std::string& kind, const char* outcome) {
  if (completed_) completed_->with({kind, outcome}).inc();
}

void QueueMetrics::handler_started() {
  if (in_flight_) in_flight_->inc();
}

void QueueMetrics::handler_ended() {
  if (in_flight_) in_flight_->dec();
}

}  // namespace reos::queue
