#pragma once

// From a processed record to the jobs its matching routes ask for.

#include <vector>

#include "pipeline/pipeline_config.hpp"
#include "pipeline/record_envelope.hpp"
#include "queue/job_queue.hpp"

namespace reos::pipeline_exec {

class PipelineRuntime;

/// For every route of `cfg` whose predicate holds on `final_record`, one job per target:
/// `sink.notify` (notifier), `sink.export` (exporter) or a job of the target's own kind
/// (`job: cma.generate`), each with the deterministic key sink_job_key(pipeline, route,
/// target, record id, `version`), so processing the same record version twice enqueues
/// nothing new. Targets whose connector is switched off in config are skipped. Payload:
/// {"tenant","pipeline","route","target":{"kind","name","template","with"},"record":<record
/// envelope with the final record>}.
std::vector<queue::NewJob> route_jobs(PipelineRuntime& runtime, const pipeline::PipelineConfig& cfg,
                                      const pipeline::RecordEnvelope& source_record,
                                      const pipeline::RecordJson& final_record,
                                      const std::string& version);

}  // namespace reos::pipeline_exec
