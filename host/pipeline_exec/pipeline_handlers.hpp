#pragma once

// The one entry point `reos serve` wires: the job handlers of pipeline execution.
//
//   pipeline_exec::PipelineRuntime pipelines(hub, *connectors, pool, metrics);
//   auto workers = queue::start_job_workers(hub, pipeline_exec::pipeline_handlers(pipelines),
//                                           &metrics);
//   …
//   workers.reset();  // before `pipelines`, the connector registry and the pool go away

#include <map>
#include <string>

#include "queue/worker_pool.hpp"

namespace reos::pipeline_exec {

class PipelineRuntime;

/// source.pull, pipeline.process, sink.notify and sink.export, bound to `runtime` (which must
/// outlive every handler call).
std::map<std::string, queue::JobHandler> pipeline_handlers(PipelineRuntime& runtime);

/// Registers pipeline_handlers(runtime) with `pool` (before pool.start()).
void register_pipeline_handlers(queue::WorkerPool& pool, PipelineRuntime& runtime);

}  // namespace reos::pipeline_exec
