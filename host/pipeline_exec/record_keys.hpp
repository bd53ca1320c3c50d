#pragma once

// The deterministic names pipeline execution gives things, so that running a job twice
// produces the same follow-up jobs (the queue de-duplicates them by idempotency key) and the
// same correlation ids. Every key is ≤ 400 bytes (the jobs.idempotency_key limit).

#include <cstddef>
#include <string>

#include "pipeline/record_json.hpp"

namespace reos::pipeline_exec {

/// A record's id within its type: the first string (or integer) among `id`, `ListingKey`
/// (RESO property), `ContactKey`, `EventKey`, `MessageKey`; otherwise "sha256:" + the hash of
/// the record (a record without an id is identified by its content).
std::string record_id_of(const pipeline::RecordJson& record);

/// The version of a record as pulled: the SHA-256 of its JSON text. An unchanged record pulled
/// again has the same version (and so makes no new sink job); a changed one (a price drop)
/// has a new one.
std::string record_version(const pipeline::RecordJson& record);

/// Idempotency key of the sink (or domain) job for one record, route and target:
/// "sink:" + SHA-256(pipeline, route, target kind, target name, record id, record version).
std::string sink_job_key(const std::string& pipeline, const std::string& route,
                         const std::string& target_kind, const std::string& target_name,
                         const std::string& record_id, const std::string& version);

/// Idempotency key of the pipeline.process job for one pulled page: the pipeline, the
/// connector, the cursor the page was pulled from, and a digest of the page, readable as
/// "<pipeline>/<connector>@<sha256(cursor)>#<sha256(page) prefix>".
std::string page_job_key(const std::string& pipeline, const std::string& connector,
                         const std::string& cursor_before, const std::string& page_digest);

/// Idempotency key of the follow-up source.pull when a source says it has more pages:
/// "more:<pipeline>/<connector>@<sha256(cursor)>".
std::string next_pull_key(const std::string& pipeline, const std::string& connector,
                          const std::string& cursor);

/// Correlation id of a pulled page: "pull-" + 16 hex digits of SHA-256(tenant, pipeline,
/// connector, cursor) — the same when the same page is pulled again after a crash. Record
/// `i` of the page gets "<page id>-<i>".
std::string page_correlation_id(const std::string& tenant, const std::string& pipeline,
                                const std::string& connector, const std::string& cursor_before);
std::string record_correlation_id(const std::string& page_correlation, std::size_t index);

}  // namespace reos::pipeline_exec
