#include "pipeline_exec/source_pull_handler.hpp"

#include <algorithm>
#include <chrono>
#include <future>
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
#include "pipeline_exec/page_store.hpp"
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

// A page as fetched (on the job's thread, or on the prefetching one).
struct PulledPage {
  GuardedCall call;
  NormalizedPage page;   ///< when the pull stores the page and the call succeeded
  std::string bad_page;  ///< why it could not be normalized (a record that is not an object)
  std::chrono::steady_clock::time_point started, pulled, normalized;
};

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

  // A scheduled chain names its run after its first job; follow-up pulls carry the name.
  if (p.run.empty()) p.run = "job:" + std::to_string(job.id);
  // Either each page is stored right here (page_store.hpp) or it becomes a pipeline.process
  // job. A pull that stores its pages goes on with the next page itself (each page still in
  // its own transaction with its cursor) for up to `stored_pull_budget`, and pulls and
  // normalizes the next page on a second thread while this one is written: the chain neither
  // waits its turn in the queue behind other jobs (a page's photos.fetch jobs) nor leaves the
  // database idle while the source answers and the records are mapped.
  const bool store_here = stores_page_in_pull(*cfg);
  std::optional<listings::FieldMap> field_map;
  if (store_here) {
    try {
      field_map = listings::cached_field_map(cfg->stages.normalize_field_map,
                                             runtime.tenant_file(p.tenant));
    } catch (const listings::FieldMapError& e) {
      const std::string error = "pull from '" + p.connector + "': " + e.what();
      record_pull_failure(runtime.pool(), p.tenant, p.connector, error, true);
      return JobOutcome::fail(error);
    }
  }
  // Pulls the page at `cursor` and, when this pull stores it, normalizes it.
  auto fetch = [&](const std::string& cursor) {
    PulledPage out;
    out.started = std::chrono::steady_clock::now();
    const std::string cid = page_correlation_id(p.tenant, p.pipeline, p.connector, cursor);
    const auto ctx = runtime.context(p.tenant, p.connector, cid);
    out.call = runtime.breakers().call(p.tenant, p.connector,
                                       [&] { return source.instance->pull(ctx, cursor); });
    out.pulled = std::chrono::steady_clock::now();
    if (field_map && !out.call.refused && out.call.result.status == REOS_OK) {
      try {
        out.page = normalize_page(*field_map, {p.tenant, p.pipeline, p.connector, cid, job.id},
                                  out.call.result.emitted);
      } catch (const std::exception& e) {
        out.bad_page = e.what();
      }
      // The texts are in the normalized page now (refused ones in its quarantine rows).
      std::vector<std::string>().swap(out.call.result.emitted);
    }
    out.normalized = std::chrono::steady_clock::now();
    return out;
  };
  const auto job_start = std::chrono::steady_clock::now();
  std::string cursor_before = read_cursor(runtime.pool(), p.tenant, p.connector);
  std::future<PulledPage> prefetched;  // the next page, pulled while this one is written
  for (;;) {
    const auto pull_start = std::chrono::steady_clock::now();
    const std::string page_cid =
        page_correlation_id(p.tenant, p.pipeline, p.connector, cursor_before);
    PulledPage pulled_page = prefetched.valid() ? prefetched.get() : fetch(cursor_before);
    const auto got = std::chrono::steady_clock::now();
    const GuardedCall& call = pulled_page.call;
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
    if (!pulled_page.bad_page.empty()) {
      // A record that is not a JSON object: the page cannot be stored.
      const std::string error = "pull from '" + p.connector + "': " + pulled_page.bad_page;
      record_pull_failure(runtime.pool(), p.tenant, p.connector, error, true);
      return JobOutcome::fail(error);
    }

    const std::string cursor_after = r.cursor.value_or(cursor_before);
    const bool more = r.has_more && cursor_after != cursor_before;
    const PageOrigin origin{p.tenant, p.pipeline, p.connector, page_cid, job.id};
    const NormalizedPage& page = pulled_page.page;
    std::vector<queue::NewJob> jobs;
    if (!store_here && !r.emitted.empty()) {
      queue::NewJob process;
      process.tenant_id = p.tenant;
      process.kind = kPipelineProcess;
      try {
        process.payload_json = pipeline::to_json(build_batch(p, *cfg, r.emitted, page_cid));
      } catch (const std::exception& e) {
        // A record that is not a JSON object.
        const std::string error = "pull from '" + p.connector + "': " + e.what();
        record_pull_failure(runtime.pool(), p.tenant, p.connector, error, true);
        return JobOutcome::fail(error);
      }
      process.idempotency_key =
          page_job_key(p.pipeline, p.connector, run_scoped(cursor_before, p.run),
                       db::sha256_hex(process.payload_json));
      process.correlation_id = page_cid;
      jobs.push_back(std::move(process));
    }
    const bool page_job_made = !jobs.empty();
    const bool continue_here =
        store_here && more &&
        std::chrono::steady_clock::now() - job_start < runtime.options().stored_pull_budget;
    if (more && !continue_here) {
      queue::NewJob next;
      next.tenant_id = p.tenant;
      next.kind = kSourcePull;
      next.payload_json = source_pull_json(p);
      next.idempotency_key =
          next_pull_key(p.pipeline, p.connector, run_scoped(cursor_after, p.run));
      next.correlation_id = job.correlation_id;
      // The follow-up keeps this pull's place in the queue (its run_at, not now): a long sync
      // is not queued behind the jobs its own pages made (a page's photos.fetch jobs, which
      // a rate-limited photo host drains slowly), nor behind anything queued since it began.
      const auto waited = std::chrono::system_clock::now() - job.run_at;
      if (waited > std::chrono::system_clock::duration::zero())
        next.delay = -std::chrono::duration_cast<milliseconds>(waited);
      jobs.push_back(std::move(next));
    }
    if (continue_here) prefetched = std::async(std::launch::async, fetch, cursor_after);
    const auto written_from = std::chrono::steady_clock::now();

    auto lease = runtime.pool().acquire();
    pqxx::work tx(*lease);
    db::enter_tenant_scope(tx, p.tenant);
    // A page stored here commits without waiting for the WAL flush: everything it writes (rows,
    // history, events, counters) goes with its cursor, so a database crash that loses the
    // commit loses the cursor too and the page is simply pulled again. No side effect outside
    // the database depends on it (the next page is only pulled, nothing is sent).
    if (store_here) tx.exec("SET LOCAL synchronous_commit = off");
    // First, so that a concurrent pull of the same connector waits on the row lock and then
    // finds the cursor moved (and stores nothing) instead of storing the page twice.
    if (!advance_cursor(tx, p.tenant, p.connector, cursor_before, r.cursor, r.state_writes)) {
      // Another pull of this connector committed this page first; its jobs carry it on.
      log::info("pipeline: cursor moved by a concurrent pull; page left to it",
                {{"pipeline", p.pipeline}, {"connector", p.connector}});
      return JobOutcome::ok();
    }
    // The run's counters move with the page (sync_runs.hpp); the page's process job is the run's
    // only when this pull made it. Opened before the page is written: a full run learns whether
    // its connector had listings before it (sync_runs.track_seen).
    const std::int64_t run_id =
        open_sync_run(tx, p.tenant, p.pipeline, p.connector, p.run, cursor_before.empty());
    listings::UpsertSummary stored;
    if (store_here) stored = write_page(tx, origin, page);
    const auto upserted = std::chrono::steady_clock::now();
    const auto enqueued = runtime.queue().enqueue_many(tx, jobs);
    std::vector<listings::ListingChange> events;
    if (store_here) {
      events = std::move(stored.changes);
      for (auto& c : record_stored_page(tx, p.tenant, run_id, page.fetched, stored,
                                        page.quarantined.size(), more))
        events.push_back(std::move(c));
    } else {
      std::optional<std::int64_t> page_job;
      if (page_job_made && enqueued.at(0).created) page_job = enqueued.at(0).id;
      events = record_pulled_page(tx, p.tenant, run_id, r.emitted.size(), page_job, more);
    }
    if (!events.empty())
      runtime.queue().enqueue_many(
          tx, listings::listing_event_jobs(p.tenant, p.pipeline, page_cid, std::move(events)));
    runtime.fault_point("source.pull:before-commit");
    tx.commit();
    const auto done = std::chrono::steady_clock::now();
    log::info(
        "pipeline: page pulled",
        {{"pipeline", p.pipeline},
         {"connector", p.connector},
         {"records", std::to_string(store_here ? page.fetched : r.emitted.size())},
         {"has_more", r.has_more ? "true" : "false"},
         {"stored_here", store_here ? "true" : "false"},
         {"quarantined", std::to_string(page.quarantined.size())},
         {"inserted", std::to_string(stored.inserted)},
         {"updated", std::to_string(stored.updated)},
         {"unchanged", std::to_string(stored.unchanged)},
         // pull and normalize: on the prefetching thread, while the previous page was
         // written; wait_ms: how long this page then still had to be waited for
         {"pull_ms", std::to_string(ms_between(pulled_page.started, pulled_page.pulled))},
         {"normalize_ms", std::to_string(ms_between(pulled_page.pulled, pulled_page.normalized))},
         {"wait_ms", std::to_string(ms_between(pull_start, got))},
         {"upsert_ms", std::to_string(ms_between(written_from, upserted))},
         {"enqueue_commit_ms", std::to_string(ms_between(upserted, done))},
         {"store_ms", std::to_string(ms_between(got, done))}});
    if (!continue_here) return JobOutcome::ok();
    cursor_before = cursor_after;
  }
}

}  // namespace reos::pipeline_exec
