#include "pipeline_exec/batch_process_handler.hpp"

#include <chrono>
#include <optional>
#include <pqxx/pqxx>

#include "db/connection_pool.hpp"
#include "db/tenant_scope.hpp"
#include "listings/field_map.hpp"
#include "listings/listing_events.hpp"
#include "listings/property_store.hpp"
#include "log/logger.hpp"
#include "pipeline/record_envelope.hpp"
#include "pipeline_exec/pipeline_runtime.hpp"
#include "pipeline_exec/quarantine.hpp"
#include "pipeline_exec/record_keys.hpp"
#include "pipeline_exec/record_stages.hpp"
#include "pipeline_exec/route_jobs.hpp"
#include "pipeline_exec/sync_runs.hpp"
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

  // normalize (docs/listings.md): the field map turns raw source records into canonical ones.
  std::optional<listings::FieldMap> field_map;
  if (!cfg->stages.normalize_field_map.empty()) {
    try {
      field_map = listings::cached_field_map(cfg->stages.normalize_field_map,
                                             runtime.tenant_file(batch.tenant));
    } catch (const listings::FieldMapError& e) {
      return JobOutcome::fail(e.what());
    }
  }
  // Property pipelines with a normalize stage store their listings (docs/listings.md: why only
  // those for now).
  const bool store_properties = cfg->record_type == "property" && field_map.has_value();
  std::vector<pipeline::RecordJson> canonical;

  std::vector<queue::NewJob> jobs;
  std::vector<QuarantinedRecord> quarantined;
  std::size_t dropped = 0;
  // Timing splits for the log line (how bench/mls_sync finds where a page's time goes).
  const auto t0 = std::chrono::steady_clock::now();
  auto ms_since = [](std::chrono::steady_clock::time_point t) {
    return std::to_string(
        std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - t).count());
  };
  for (std::size_t i = 0; i < batch.records.size(); ++i) {
    pipeline::RecordEnvelope record = batch.record(i);
    std::string why;
    if (field_map && !listings::normalize_record(*field_map, record, why)) {
      quarantined.push_back({batch.tenant, batch.pipeline, record.id, record.correlation_id,
                             "normalize", batch.source_connector, why, record.payload.dump(),
                             job.id});
      continue;
    }
    if (store_properties) canonical.push_back(record.payload);
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
        if (cfg->routes.empty()) break;  // the version (a dump and a hash) only feeds routes
        auto more = route_jobs(runtime, *cfg, record, out.record, record_version(record.payload));
        for (auto& j : more) jobs.push_back(std::move(j));
        break;
      }
    }
  }

  const std::string stages_ms = ms_since(t0);
  const auto t1 = std::chrono::steady_clock::now();
  auto lease = runtime.pool().acquire();
  pqxx::work tx(*lease);
  db::enter_tenant_scope(tx, batch.tenant);
  for (const QuarantinedRecord& q : quarantined) quarantine_record(tx, q);
  std::string upsert_ms = "0";
  listings::UpsertSummary stored;
  if (!canonical.empty()) {
    stored = listings::upsert_properties(tx, batch.tenant, batch.source_connector, canonical);
    upsert_ms = ms_since(t1);
  } else if (!store_properties) {
    stored.unchanged = batch.records.size() - quarantined.size();  // passed on, not stored
  }
  // The page's sync run (sync_runs.hpp): counters, seen keys, and the end of the run.
  if (const auto run = sync_run_of_page(tx, job.id)) {
    auto gone = record_processed_page(tx, batch.tenant, *run, stored, quarantined.size());
    for (auto& c : gone) stored.changes.push_back(std::move(c));
  }
  for (auto& j : listings::listing_event_jobs(batch.tenant, batch.pipeline, batch.correlation_id,
                                              std::move(stored.changes))) {
    jobs.push_back(std::move(j));
  }
  const auto t2 = std::chrono::steady_clock::now();
  const auto results = runtime.queue().enqueue_many(tx, jobs);
  tx.commit();
  const std::string write_ms = ms_since(t2);
  std::size_t created = 0;
  for (const auto& r : results) created += r.created ? 1 : 0;
  log::info("pipeline: batch processed", {{"pipeline", batch.pipeline},
                                          {"records", std::to_string(batch.records.size())},
                                          {"dropped", std::to_string(dropped)},
                                          {"quarantined", std::to_string(quarantined.size())},
                                          {"jobs", std::to_string(jobs.size())},
                                          {"jobs_new", std::to_string(created)},
                                          {"stages_ms", stages_ms},
                                          {"upsert_ms", upsert_ms},
                                          {"enqueue_commit_ms", write_ms}});
  return JobOutcome::ok();
}

}  // namespace reos::pipeline_exec
