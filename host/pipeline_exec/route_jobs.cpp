#include "pipeline_exec/route_jobs.hpp"

#include <nlohmann/json.hpp>

#include "pipeline_exec/job_kinds.hpp"
#include "pipeline_exec/pipeline_runtime.hpp"
#include "pipeline_exec/record_keys.hpp"

namespace reos::pipeline_exec {
namespace {

using Target = pipeline::RouteTarget;

const char* kind_name(Target::Kind kind) {
  switch (kind) {
    case Target::Kind::kNotifier:
      return "notifier";
    case Target::Kind::kExporter:
      return "exporter";
    case Target::Kind::kJob:
      return "job";
  }
  return "job";
}

std::string job_kind_for(const Target& target) {
  switch (target.kind) {
    case Target::Kind::kNotifier:
      return kSinkNotify;
    case Target::Kind::kExporter:
      return kSinkExport;
    case Target::Kind::kJob:
      return target.name;
  }
  return target.name;
}

}  // namespace

std::vector<queue::NewJob> route_jobs(PipelineRuntime& runtime, const pipeline::PipelineConfig& cfg,
                                      const pipeline::RecordEnvelope& source_record,
                                      const pipeline::RecordJson& final_record,
                                      const std::string& version) {
  std::vector<queue::NewJob> jobs;
  pipeline::RecordEnvelope out = source_record;
  out.payload = final_record;
  nlohmann::json record_json;  // parsed lazily: most records match no route
  for (const pipeline::PipelineRoute& route : cfg.routes) {
    if (!route.predicate.matches(final_record)) continue;
    for (const Target& target : route.to) {
      if (target.kind != Target::Kind::kJob &&
          runtime.lookup(source_record.tenant, target.name).state ==
              ConnectorLookup::State::disabled) {
        continue;  // switched off in config: the step is skipped (docs/pipelines.md)
      }
      if (record_json.is_null()) record_json = nlohmann::json::parse(pipeline::to_json(out));
      nlohmann::json payload{
          {"tenant", source_record.tenant},
          {"pipeline", cfg.id},
          {"route", route.id},
          {"target",
           {{"kind", kind_name(target.kind)},
            {"name", target.name},
            {"template", target.template_name},
            {"with", nlohmann::json::parse(target.with_json.empty() ? "{}" : target.with_json)}}},
          {"record", record_json}};
      queue::NewJob job;
      job.tenant_id = source_record.tenant;
      job.kind = job_kind_for(target);
      job.payload_json = payload.dump();
      job.idempotency_key = sink_job_key(cfg.id, route.id, kind_name(target.kind), target.name,
                                         source_record.id, version);
      job.correlation_id = source_record.correlation_id;
      jobs.push_back(std::move(job));
    }
  }
  return jobs;
}

}  // namespace reos::pipeline_exec
