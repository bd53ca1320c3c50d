#include "pipeline_exec/pipeline_handlers.hpp"

#include "pipeline_exec/batch_process_handler.hpp"
#include "pipeline_exec/job_kinds.hpp"
#include "pipeline_exec/sink_handlers.hpp"
#include "pipeline_exec/source_pull_handler.hpp"

namespace reos::pipeline_exec {

std::map<std::string, queue::JobHandler> pipeline_handlers(PipelineRuntime& runtime) {
  PipelineRuntime* rt = &runtime;
  return {
      {kSourcePull, [rt](const queue::Job& job) { return handle_source_pull(*rt, job); }},
      {kPipelineProcess, [rt](const queue::Job& job) { return handle_pipeline_process(*rt, job); }},
      {kSinkNotify, [rt](const queue::Job& job) { return handle_sink_notify(*rt, job); }},
      {kSinkExport, [rt](const queue::Job& job) { return handle_sink_export(*rt, job); }},
  };
}

void register_pipeline_handlers(queue::WorkerPool& pool, PipelineRuntime& runtime) {
  for (auto& [kind, handler] : pipeline_handlers(runtime)) pool.register_handler(kind, handler);
}

}  // namespace reos::pipeline_exec
