#pragma once

#include "queue/job.hpp"

namespace reos::pipeline_exec {

class PipelineRuntime;

/// Handles `source.pull` {"tenant","pipeline","connector"}: pulls one page from the source
/// connector (cursor from connectors.state), then in ONE transaction enqueues one
/// `pipeline.process` job carrying the whole page as a BatchEnvelope, moves the cursor
/// (compare-and-set on the cursor it pulled from) and, when the source has more, enqueues the
/// next `source.pull`. The cursor therefore advances only together with the committed page.
/// Plugin RETRY → retry (honouring retry-after); FAIL/INVALID → the job fails and the
/// connector is marked 'failing' with last_error; an open circuit → deferred.
queue::JobOutcome handle_source_pull(PipelineRuntime& runtime, const queue::Job& job);

}  // namespace reos::pipeline_exec
