#pragma once

// Glue between the listings module and pipeline execution: normalizing a record envelope in
// place, and turning detected listing changes into `listing.*` workflow jobs.

#include <cstddef>
#include <string>
#include <vector>

#include "listings/field_map.hpp"
#include "listings/property_store.hpp"
#include "pipeline/record_envelope.hpp"
#include "queue/job_queue.hpp"

namespace reos::listings {

/// Applies `map` to `record.payload`. On success the payload becomes the canonical record and
/// `record.id` its ListingKey (when it has one); otherwise returns false with `reason`.
bool normalize_record(const FieldMap& map, pipeline::RecordEnvelope& record, std::string& reason);

/// Most changes one event job carries (a first sync of 100,000 listings makes 100 jobs).
inline constexpr std::size_t kChangesPerEventJob = 1000;

/// The changes of one page (or of a run's gone check) as workflow jobs: one job per event kind
/// and up to kChangesPerEventJob changes, kind = the event (listing.created,
/// listing.price_changed, listing.status_changed, listing.returned, listing.gone), payload
/// {"tenant","pipeline","event","changes":[{"listing_key","old_value","new_value",
/// "record_hash"},…]} in ListingKey order, idempotency key `listing:<pipeline>/<event>/<sha256 of
/// the changes' keys and hashes>` so a re-run page enqueues nothing new. One job per page
/// rather than per listing: a first sync of 100,000 listings would otherwise queue 100,000
/// rows (docs/listings.md, "Events"). Handlers come with the workflow engine; until then the
/// jobs wait in the queue.
std::vector<queue::NewJob> listing_event_jobs(const std::string& tenant,
                                              const std::string& pipeline,
                                              const std::string& correlation_id,
                                              std::vector<ListingChange> changes);

}  // namespace reos::listings
