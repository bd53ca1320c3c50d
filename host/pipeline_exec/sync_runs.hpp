#pragma once

// Sync runs (migrations/0007_sync_runs.sql, docs/listings.md "Sync runs and gone listings"):
// the chain of source.pull pages of one connector for one pipeline, from its first pull until
// the source says it has no more, with counters. The pull and process handlers update the run
// in the transactions that commit their work, so the counters never count a page twice; the
// transaction that completes the last page finishes the run and, for a full run, marks the
// listings it did not see as gone.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "listings/property_store.hpp"

namespace pqxx {
class transaction_base;
}
namespace reos::db {
class ConnectionPool;
}

namespace reos::pipeline_exec {

/// Finds or creates the run `run_key` inside `tx` and returns its id. `full` (the run starts
/// from an empty cursor) is only taken from the first call; a full run created while the
/// connector has no listing keeps no seen keys (track_seen false: nothing can be gone), so
/// the first call must come before the run's first page is written.
std::int64_t open_sync_run(pqxx::transaction_base& tx, const std::string& tenant,
                           const std::string& pipeline, const std::string& connector,
                           const std::string& run_key, bool full);

/// A committed pull: `fetched` records, `page_job` the pipeline.process job made for them
/// (nullopt when the page was empty), `has_more` as the source said. Finishes the run when
/// this was the last page and every page is processed; returns listing.gone changes to enqueue.
std::vector<listings::ListingChange> record_pulled_page(pqxx::transaction_base& tx,
                                                        const std::string& tenant,
                                                        std::int64_t run_id, std::size_t fetched,
                                                        std::optional<std::int64_t> page_job,
                                                        bool has_more);

/// The run a pipeline.process job belongs to (nullopt: not a run's page, e.g. an old job).
std::optional<std::int64_t> sync_run_of_page(pqxx::transaction_base& tx, std::int64_t job_id);

/// A processed page: its counters, the keys it saw (kept for a full run's gone check). Finishes
/// the run when it was the last page; returns listing.gone changes to enqueue.
std::vector<listings::ListingChange> record_processed_page(pqxx::transaction_base& tx,
                                                           const std::string& tenant,
                                                           std::int64_t run_id,
                                                           const listings::UpsertSummary& stored,
                                                           std::size_t quarantined);

/// A page pulled and stored in one transaction (page_store.hpp): the pull's and the processed
/// page's counters at once (`fetched` records; an empty page is not counted as a page), the
/// keys it saw, and the end of the run when the source said it has no more. Returns
/// listing.gone changes to enqueue.
std::vector<listings::ListingChange> record_stored_page(pqxx::transaction_base& tx,
                                                        const std::string& tenant,
                                                        std::int64_t run_id, std::size_t fetched,
                                                        const listings::UpsertSummary& stored,
                                                        std::size_t quarantined, bool has_more);

/// A run that failed for good (a pull refused permanently): error set, finished, no gone check.
void fail_sync_run(db::ConnectionPool& pool, const std::string& tenant, const std::string& pipeline,
                   const std::string& connector, const std::string& run_key,
                   const std::string& error);

}  // namespace reos::pipeline_exec
