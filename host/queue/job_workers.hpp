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
#include <set>
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

/// A running queue: owns the JobQueue and its WorkerPools; stops them when destroyed.
class JobWorkers {
 public:
  JobWorkers(const config::HubConfig& hub, http::MetricsRegistry* metrics);
  ~JobWorkers();
  JobWorkers(const JobWorkers&) = delete;
  JobWorkers& operator=(const JobWorkers&) = delete;

  const JobQueue& queue() const { return *queue_; }
  /// The workers of every kind but the background ones.
  WorkerPool& pool() { return *pool_; }
  /// One worker for the background kinds; null when there are none.
  WorkerPool* background() { return background_.get(); }
  void add_background_pool(const WorkerPoolOptions& options);

 private:
  std::unique_ptr<JobQueue> queue_;
  std::unique_ptr<WorkerPool> pool_;
  std::unique_ptr<WorkerPool> background_;
};

/// Builds JobWorkers from `hub`, registers `handlers` (job kind → handler) and starts them.
/// The kinds in `background_kinds` (bulk work such as photos.fetch: a first sync of 100,000
/// listings queues hours of it at a connector's rate) run on a worker of their own, and the
/// other workers never claim them: the queue is oldest-first, so a sync's pull would
/// otherwise wait behind the whole backlog. Returns nullptr when hub.yaml sets
/// workers.count to 0 or `handlers` is empty (then this process only enqueues; other
/// processes work). Throws std::runtime_error when the database cannot be reached.
std::unique_ptr<JobWorkers> start_job_workers(const config::HubConfig& hub,
                                              const std::map<std::string, JobHandler>& handlers,
                                              http::MetricsRegistry* metrics,
                                              const std::set<std::string>& background_kinds = {});

}  // namespace reos::queue
