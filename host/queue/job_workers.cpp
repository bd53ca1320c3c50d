#include "queue/job_workers.hpp"

#include "config/hub_config.hpp"

namespace reos::queue {
namespace {

KindRetrySettings settings_of(const config::QueueKindConfig& k) {
  return KindRetrySettings{k.max_attempts, std::chrono::milliseconds(k.backoff_base_ms),
                           std::chrono::milliseconds(k.backoff_cap_ms)};
}

}  // namespace

BackoffPolicy backoff_policy_from_config(const config::QueueConfig& queue, UnitRandom random) {
  std::map<std::string, KindRetrySettings> kinds;
  for (const auto& [kind, settings] : queue.kinds) kinds.emplace(kind, settings_of(settings));
  return BackoffPolicy(settings_of(queue.defaults), std::move(kinds), std::move(random));
}

WorkerPoolOptions worker_options_from_config(const config::HubConfig& hub,
                                             http::MetricsRegistry* metrics) {
  WorkerPoolOptions options;
  options.conninfo = hub.database.conninfo();
  options.workers = hub.workers.count;
  options.batch_size = hub.queue.batch_size;
  options.lease = std::chrono::milliseconds(hub.queue.lease_ms);
  options.metrics = metrics;
  return options;
}

JobWorkers::JobWorkers(const config::HubConfig& hub, http::MetricsRegistry* metrics)
    : queue_(std::make_unique<JobQueue>(backoff_policy_from_config(hub.queue))),
      pool_(std::make_unique<WorkerPool>(*queue_, worker_options_from_config(hub, metrics))) {}

JobWorkers::~JobWorkers() {
  pool_->stop();
}

std::unique_ptr<JobWorkers> start_job_workers(const config::HubConfig& hub,
                                              const std::map<std::string, JobHandler>& handlers,
                                              http::MetricsRegistry* metrics) {
  if (hub.workers.count <= 0 || handlers.empty()) return nullptr;
  auto workers = std::make_unique<JobWorkers>(hub, metrics);
  for (const auto& [kind, handler] : handlers) workers->pool().register_handler(kind, handler);
  workers->pool().start();
  return workers;
}

}  // namespace reos::queue
