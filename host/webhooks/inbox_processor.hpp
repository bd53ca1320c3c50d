#pragma once

// The webhook.process job: settles the pending events of the inbox requests it names (one
// tenant connector, one group commit), exactly once. In ONE transaction (the tenant's scope)
// it locks those requests' pending events, hands them
// on — to the tenant pipelines whose sources list the connector (a pipeline.process job per
// pipeline, keyed by the first request) or, for connectors in no pipeline, to messaging's
// apply_message_event — and marks them processed (or failed with the reason). A second run
// of the job, by any worker, finds nothing pending. docs/webhooks.md, "Processing".

#include <map>
#include <string>
#include <vector>

#include "queue/job.hpp"
#include "queue/worker_pool.hpp"

namespace reos::config {
struct HubConfig;
}
namespace reos::db {
class ConnectionPool;
}
namespace reos::queue {
class JobQueue;
}

namespace reos::webhooks {

/// A pipeline that takes a webhook connector's events as records.
struct WebhookPipeline {
  std::string id;
  std::string record_type;
};

/// Thread-safe (immutable after construction). `pool` and `queue` must outlive it.
class InboxProcessor {
 public:
  InboxProcessor(const config::HubConfig& hub, db::ConnectionPool& pool,
                 const queue::JobQueue& queue);

  queue::JobOutcome process(const queue::Job& job) const;

  /// The enabled pipelines of `tenant` that list `connector` as a source.
  const std::vector<WebhookPipeline>& pipelines_of(const std::string& tenant,
                                                   const std::string& connector) const;

 private:
  std::map<std::pair<std::string, std::string>, std::vector<WebhookPipeline>> pipelines_;
  db::ConnectionPool& pool_;
  const queue::JobQueue& queue_;
};

/// {"webhook.process": handler} for queue::start_job_workers; the handler shares one
/// InboxProcessor built from `hub`.
std::map<std::string, queue::JobHandler> webhook_handlers(const config::HubConfig& hub,
                                                          db::ConnectionPool& pool,
                                                          const queue::JobQueue& queue);

}  // namespace reos::webhooks
