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
  if (background_) background_->stop();
}

void JobWorkers::add_background_pool(const WorkerPoolOptions& options) {
  background_ = std::make_unique<WorkerPool>(*queue_, options);
}

std::unique_ptr<JobWorkers> start_job_workers(const config::HubConfig& hub,
                                              const std::map<std::string, JobHandler>& handlers,
                                              http::MetricsRegistry* metrics,
                                              const std::set<std::string>& background_kinds) {
  if (hub.workers.count <= 0 || handlers.empty()) return nullptr;
  auto workers = std::make_unique<JobWorkers>(hub, metrics);
  bool any_background = false;
  for (const auto& [kind, handler] : handlers)
    any_background = any_background || background_kinds.count(kind) > 0;
  if (any_background) {
    WorkerPoolOptions options = worker_options_from_config(hub, metrics);
    options.workers = 1;
    workers->add_background_pool(options);
  }
  for (const auto& [kind, handler] : handlers) {
    WorkerPool& pool = background_kinds.count(kind) ? *workers->background() : workers->pool();
    pool.register_handler(kind, handler);
  }
  workers->pool().start();
  if (workers->background()) workers->background()->start();
  return workers;
}

}  // namespace reos::queue
