#include "pipeline_exec/batch_process_handler.hpp"

#include <pqxx/pqxx>

#include "db/connection_pool.hpp"
#include "db/tenant_scope.hpp"
#include "log/logger.hpp"
#include "pipeline/record_envelope.hpp"
#include "pipeline_exec/pipeline_runtime.hpp"
#include "pipeline_exec/quarantine.hpp"
#include "pipeline_exec/record_keys.hpp"
#include "pipeline_exec/record_stages.hpp"
#include "pipeline_exec/route_jobs.hpp"
#include "queue/job_queue.hpp"

namespace reos::pipeline_exec {
namespace {

using queue::JobOutcome;
using std::chrono::milliseconds;

// The longest wait among the stage connectors whose circuit is open (0 = none is open), so a
// batch is not started only to be abandoned half-way.
milliseconds stages_blocked_for(PipelineRuntime& runtime, const std::string& tenant,
                                const pipeline::PipelineConfig& cfg, std::string& which) {
  milliseconds longest(0);
  std::vector<std::string> connectors = cfg.stages.enrich;
  if (!cfg.stages.score.empty()) connectors.push_back(cfg.stages.score);
  for (const std::string& c : connectors) {
    const milliseconds wait = runtime.breakers().blocked_for(tenant, c);
    if (wait > longest) {
      longest = wait;
      which = c;
    }
  }
  return longest;
}

}  // namespace

JobOutcome handle_pipeline_process(PipelineRuntime& runtime, const queue::Job& job) {
  pipeline::BatchEnvelope batch;
  try {
    batch = pipeline::batch_envelope_from_json(job.payload_json);
  } catch (const pipeline::EnvelopeError& e) {
    return JobOutcome::fail(e.what());
  }
  if (batch.tenant != job.tenant_id) {
    return JobOutcome::fail("batch envelope: tenant '" + batch.tenant + "' is not the job's");
  }
  const pipeline::PipelineConfig* cfg = runtime.find_pipeline(batch.tenant, batch.pipeline);
  if (!cfg) return JobOutcome::fail("unknown pipeline '" + batch.pipeline + "'");
  std::string open_connector;
  if (const milliseconds wait = stages_blocked_for(runtime, batch.tenant, *cfg, open_connector);
      wait > milliseconds(0)) {
    return JobOutcome::defer(wait,
                             "circuit open for connector '" + open_connector + "'; not attempted");
  }

  std::vector<queue::NewJob> jobs;
  std::vector<QuarantinedRecord> quarantined;
  std::size_t dropped = 0;
  for (std::size_t i = 0; i < batch.records.size(); ++i) {
    const pipeline::RecordEnvelope record = batch.record(i);
    const StageOutcome out = run_stages(runtime, *cfg, record);
    switch (out.kind) {
      case StageOutcome::Kind::retry:
        return JobOutcome::retry(out.wait, out.reason + " (record '" + record.id + "')");
      case StageOutcome::Kind::deferred:
        return JobOutcome::defer(out.wait, out.reason);
      case StageOutcome::Kind::dropped:
        ++dropped;
        break;
      case StageOutcome::Kind::quarantined:
        quarantined.push_back({batch.tenant, batch.pipeline, record.id, record.correlation_id,
                               out.stage, out.connector, out.reason, out.record.dump(), job.id});
        break;
      case StageOutcome::Kind::routed: {
        auto more = route_jobs(runtime, *cfg, record, out.record, record_version(record.payload));
        for (auto& j : more) jobs.push_back(std::move(j));
        break;
      }
    }
  }

  auto lease = runtime.pool().acquire();
  pqxx::work tx(*lease);
  db::enter_tenant_scope(tx, batch.tenant);
  for (const QuarantinedRecord& q : quarantined) quarantine_record(tx, q);
  const auto results = runtime.queue().enqueue_many(tx, jobs);
  tx.commit();
  std::size_t created = 0;
  for (const auto& r : results) created += r.created ? 1 : 0;
  log::info("pipeline: batch processed", {{"pipeline", batch.pipeline},
                                          {"records", std::to_string(batch.records.size())},
                                          {"dropped", std::to_string(dropped)},
                                          {"quarantined", std::to_string(quarantined.size())},
                                          {"jobs", std::to_string(jobs.size())},
                                          {"jobs_new", std::to_string(created)}});
  return JobOutcome::ok();
}

}  // namespace reos::pipeline_exec
