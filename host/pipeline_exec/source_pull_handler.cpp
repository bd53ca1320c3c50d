#include "pipeline_exec/source_pull_handler.hpp"

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <pqxx/pqxx>

#include "db/connection_pool.hpp"
#include "db/migration_set.hpp"
#include "db/tenant_scope.hpp"
#include "listings/field_map.hpp"
#include "listings/listing_events.hpp"
#include "log/logger.hpp"
#include "pipeline/record_envelope.hpp"
#include "pipeline_exec/connector_progress.hpp"
#include "pipeline_exec/job_kinds.hpp"
#include "pipeline_exec/job_payload.hpp"
#include "pipeline_exec/pipeline_runtime.hpp"
#include "pipeline_exec/record_keys.hpp"
#include "pipeline_exec/sync_runs.hpp"
#include "queue/job_queue.hpp"
#include "reos/plugin.h"

namespace reos::pipeline_exec {
namespace {

using queue::JobOutcome;
using std::chrono::milliseconds;

std::string status_text(const plugin_runtime::CallResult& r) {
  const char* name = r.status == REOS_RETRY     ? "RETRY"
                     : r.status == REOS_INVALID ? "INVALID"
                                                : "FAIL";
  return std::string(name) + (r.message.empty() ? "" : ": " + r.message);
}

bool is_source_of(const pipeline::PipelineConfig& p, const std::string& connector) {
  return std::any_of(p.sources.begin(), p.sources.end(),
                     [&](const pipeline::PipelineSource& s) { return s.connector == connector; });
}

// The page as a batch envelope; throws EnvelopeError for a record that is not an object.
pipeline::BatchEnvelope build_batch(const SourcePullPayload& p, const pipeline::PipelineConfig& cfg,
                                    const std::vector<std::string>& emitted,
                                    const std::string& page_correlation) {
  pipeline::BatchEnvelope batch;
  batch.tenant = p.tenant;
  batch.type = cfg.record_type;
  batch.source_connector = p.connector;
  batch.pipeline = p.pipeline;
  batch.correlation_id = page_correlation;
  batch.records.reserve(emitted.size());
  for (std::size_t i = 0; i < emitted.size(); ++i) {
    pipeline::RecordJson record = pipeline::RecordJson::parse(emitted[i]);
    if (!record.is_object()) {
      throw pipeline::EnvelopeError("source emitted a record that is not a JSON object (#" +
                                    std::to_string(i) + ")");
    }
    batch.records.push_back(
        {record_id_of(record), record_correlation_id(page_correlation, i), std::move(record)});
  }
  return batch;
}

long long ms_between(std::chrono::steady_clock::time_point a,
                     std::chrono::steady_clock::time_point b) {
  return std::chrono::duration_cast<milliseconds>(b - a).count();
}

// The field map's problems with the fields the source reported in this call ("" when none,
// when the source reported nothing, or the pipeline has no field map).
std::string field_map_problem(const pipeline::PipelineConfig& cfg, const std::string& tenant_file,
                              const plugin_runtime::CallResult& r) {
  if (cfg.stages.normalize_field_map.empty()) return "";
  const auto reported = std::find_if(r.state_writes.begin(), r.state_writes.end(),
                                     [](const auto& kv) { return kv.first == "source_fields"; });
  if (reported == r.state_writes.end()) return "";
  const nlohmann::json list = nlohmann::json::parse(reported->second, nullptr, false);
  if (!list.is_array()) return "";
  std::vector<std::string> available;
  for (const auto& f : list)
    if (f.is_string()) available.push_back(f.get<std::string>());
  try {
    const auto map = listings::cached_field_map(cfg.stages.normalize_field_map, tenant_file);
    std::string out;
    for (const std::string& p : map.unknown_source_fields(available))
      out += (out.empty() ? "" : "; ") + p;
    return out;
  } catch (const listings::FieldMapError& e) {
    return e.what();
  }
}

// The cursor as it enters idempotency keys: with the run of a `reos sync`, so that two runs
// over the same cursors make their own jobs (job_payload.hpp).
std::string run_scoped(const std::string& cursor, const std::string& run) {
  return run.empty() ? cursor : cursor + "\n@run " + run;
}

}  // namespace

JobOutcome handle_source_pull(PipelineRuntime& runtime, const queue::Job& job) {
  SourcePullPayload p;
  try {
    p = parse_source_pull(job.payload_json, job.tenant_id);
  } catch (const BadPayload& e) {
    return JobOutcome::fail(e.what());
  }
  const pipeline::PipelineConfig* cfg = runtime.find_pipeline(p.tenant, p.pipeline);
  if (!cfg) return JobOutcome::fail("unknown pipeline '" + p.pipeline + "'");
  if (!is_source_of(*cfg, p.connector)) {
    return JobOutcome::fail("connector '" + p.connector + "' is not a source of pipeline '" +
                            p.pipeline + "'");
  }
  if (!cfg->enabled) {
    log::info("pipeline: source.pull for a disabled pipeline skipped", {{"pipeline", p.pipeline}});
    return JobOutcome::ok();
  }
  const ConnectorLookup source = runtime.lookup(p.tenant, p.connector);
  if (source.state == ConnectorLookup::State::disabled) {
    log::info("pipeline: source connector is disabled; pull skipped",
              {{"pipeline", p.pipeline}, {"connector", p.connector}});
    return JobOutcome::ok();
  }
  if (source.state == ConnectorLookup::State::unavailable) {
    return JobOutcome::retry(runtime.options().not_running_retry, source.error);
  }
  // A webhook-only plugin (Standard Webhooks, say) feeds its pipeline through the inbox
  // (docs/webhooks.md); its scheduled pull has nothing to fetch and is not a failure.
  if ((source.instance->info().kinds & REOS_KIND_SOURCE) == 0) {
    log::debug("pipeline: source has no pull (events arrive by webhook); nothing to do",
               {{"pipeline", p.pipeline}, {"connector", p.connector}});
    return JobOutcome::ok();
  }

  const std::string cursor_before = read_cursor(runtime.pool(), p.tenant, p.connector);
  // A scheduled chain names its run after its first job; follow-up pulls carry the name.
  if (p.run.empty()) p.run = "job:" + std::to_string(job.id);
  const auto pull_start = std::chrono::steady_clock::now();
  const std::string page_cid =
      page_correlation_id(p.tenant, p.pipeline, p.connector, cursor_before);
  const auto ctx = runtime.context(p.tenant, p.connector, page_cid);
  const GuardedCall call = runtime.breakers().call(
      p.tenant, p.connector, [&] { return source.instance->pull(ctx, cursor_before); });
  if (call.refused) {
    return JobOutcome::defer(call.retry_in,
                             "circuit open for connector '" + p.connector + "'; not attempted");
  }
  const plugin_runtime::CallResult& r = call.result;
  if (r.status != REOS_OK) {
    const std::string error = "pull from '" + p.connector + "' failed: " + status_text(r);
    const bool permanent = r.status != REOS_RETRY;
    record_pull_failure(runtime.pool(), p.tenant, p.connector, error, permanent);
    if (permanent) fail_sync_run(runtime.pool(), p.tenant, p.pipeline, p.connector, p.run, error);
    if (!permanent) return JobOutcome::retry(milliseconds(r.retry_after_ms), error);
    return JobOutcome::fail(error);
  }

  const auto pulled = std::chrono::steady_clock::now();
  // A source that reported its server's fields (state "source_fields", e.g. RETS metadata)
  // has them checked against the pipeline's field map: a map naming a field the server does
  // not have is a configuration error, not a page of quarantined records.
  if (const std::string problem = field_map_problem(*cfg, runtime.tenant_file(p.tenant), r);
      !problem.empty()) {
    const std::string error = "pull from '" + p.connector + "': config: " + problem;
    record_pull_failure(runtime.pool(), p.tenant, p.connector, error, true);
    fail_sync_run(runtime.pool(), p.tenant, p.pipeline, p.connector, p.run, error);
    return JobOutcome::fail(error);
  }

  pipeline::BatchEnvelope batch;
  try {
    batch = build_batch(p, *cfg, r.emitted, page_cid);
  } catch (const std::exception& e) {
    const std::string error = "pull from '" + p.connector + "': " + e.what();
    record_pull_failure(runtime.pool(), p.tenant, p.connector, error, true);
    return JobOutcome::fail(error);
  }

  std::vector<queue::NewJob> jobs;
  if (!batch.records.empty()) {
    queue::NewJob process;
    process.tenant_id = p.tenant;
    process.kind = kPipelineProcess;
    process.payload_json = pipeline::to_json(batch);
    process.idempotency_key =
        page_job_key(p.pipeline, p.connector, run_scoped(cursor_before, p.run),
                     db::sha256_hex(process.payload_json));
    process.correlation_id = page_cid;
    jobs.push_back(std::move(process));
  }
  const std::string cursor_after = r.cursor.value_or(cursor_before);
  if (r.has_more && cursor_after != cursor_before) {
    queue::NewJob next;
    next.tenant_id = p.tenant;
    next.kind = kSourcePull;
    next.payload_json = source_pull_json(p);
    next.idempotency_key = next_pull_key(p.pipeline, p.connector, run_scoped(cursor_after, p.run));
    next.correlation_id = job.correlation_id;
    jobs.push_back(std::move(next));
  }

  auto lease = runtime.pool().acquire();
  pqxx::work tx(*lease);
  db::enter_tenant_scope(tx, p.tenant);
  if (!advance_cursor(tx, p.tenant, p.connector, cursor_before, r.cursor, r.state_writes)) {
    // Another pull of this connector committed this page first; its jobs carry it on.
    log::info("pipeline: cursor moved by a concurrent pull; page left to it",
              {{"pipeline", p.pipeline}, {"connector", p.connector}});
    return JobOutcome::ok();
  }
  const auto enqueued = runtime.queue().enqueue_many(tx, jobs);
  // The run's counters move with the page (sync_runs.hpp); the page's process job is the run's
  // only when this pull made it.
  const std::int64_t run_id =
      open_sync_run(tx, p.tenant, p.pipeline, p.connector, p.run, cursor_before.empty());
  std::optional<std::int64_t> page_job;
  if (!batch.records.empty() && enqueued.at(0).created) page_job = enqueued.at(0).id;
  const auto gone = record_pulled_page(tx, p.tenant, run_id, batch.records.size(), page_job,
                                       r.has_more && cursor_after != cursor_before);
  if (!gone.empty())
    runtime.queue().enqueue_many(
        tx, listings::listing_event_jobs(p.tenant, p.pipeline, page_cid, gone));
  runtime.fault_point("source.pull:before-commit");
  tx.commit();
  log::info("pipeline: page pulled",
            {{"pipeline", p.pipeline},
             {"connector", p.connector},
             {"records", std::to_string(batch.records.size())},
             {"has_more", r.has_more ? "true" : "false"},
             {"pull_ms", std::to_string(ms_between(pull_start, pulled))},
             {"store_ms", std::to_string(ms_between(pulled, std::chrono::steady_clock::now()))}});
  return JobOutcome::ok();
}

}  // namespace reos::pipeline_exec
