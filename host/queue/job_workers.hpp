#pragma once

// The job queue as `reos serve` runs it: policy and worker options from hub.yaml, the
// handlers the host registers, started workers. Usage (serve_command.cpp):
//
//   auto workers = queue::start_job_workers(hub, {{"cma.run", run_cma}, …}, &metrics);
//   …serve…
//   workers.reset();  // graceful: running handlers finish, unstarted jobs go back
//
// Start it after the schema check (the `jobs` table must exist) and stop it before the
// database pool and the metrics registry go away.

#include <map>
#include <memory>
#include <string>

#include "queue/backoff_policy.hpp"
#include "queue/job_queue.hpp"
#include "queue/worker_pool.hpp"

namespace reos::config {
struct HubConfig;
struct QueueConfig;
}  // namespace reos::config

namespace reos::queue {

/// hub.yaml `queue.kinds` (and the defaults for other kinds) as a policy.
BackoffPolicy backoff_policy_from_config(const config::QueueConfig& queue,
                                         UnitRandom random = default_unit_random());

/// Worker-pool options from hub.yaml: database.conninfo(), workers.count, queue.lease_ms,
/// queue.batch_size.
WorkerPoolOptions worker_options_from_config(const config::HubConfig& hub,
                                             http::MetricsRegistry* metrics);

/// A running queue: owns the JobQueue and its WorkerPool; stops the pool when destroyed.
class JobWorkers {
 public:
  JobWorkers(const config::HubConfig& hub, http::MetricsRegistry* metrics);
  ~JobWorkers();
  JobWorkers(const JobWorkers&) = delete;
  JobWorkers& operator=(const JobWorkers&) = delete;

  const JobQueue& queue() const { return *queue_; }
  WorkerPool& pool() { return *pool_; }

 private:
  std::unique_ptr<JobQueue> queue_;
  std::unique_ptr<WorkerPool> pool_;
};

/// Builds JobWorkers from `hub`, registers `handlers` (job kind → handler) and starts them.
/// Returns nullptr when hub.yaml sets workers.count to 0 or `handlers` is empty (then this
/// process only enqueues; other processes work). Throws std::runtime_error when the
/// database cannot be reached.
std::unique_ptr<JobWorkers> start_job_workers(const config::HubConfig& hub,
                                              const std::map<std::string, JobHandler>& handlers,
                                              http::MetricsRegistry* metrics);

}  // namespace reos::queue
