#pragma once

#include "queue/job.hpp"

namespace reos::pipeline_exec {

class PipelineRuntime;

/// Handles `pipeline.process` (payload: a BatchEnvelope). Each record goes through the
/// enrichers in priority order and the scorer (record_stages.hpp); each route predicate is
/// then evaluated on the final record and every matching target gets a job with a
/// deterministic idempotency key (route_jobs.hpp). All of the batch's jobs and quarantined
/// records are written in ONE transaction (enqueue_many), then the job completes — so a re-run
/// of the batch creates no second sink job.
///
/// Per record: an enricher that drops it stops it there; FAIL/INVALID quarantines it (the
/// rest of the batch carries on). An enricher or scorer RETRY retries the WHOLE batch (nothing
/// was written; records already processed are processed again, and their jobs de-duplicate).
/// An open circuit on a stage's connector defers the batch without using an attempt.
queue::JobOutcome handle_pipeline_process(PipelineRuntime& runtime, const queue::Job& job);

}  // namespace reos::pipeline_exec
