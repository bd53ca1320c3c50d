#pragma once

// Glue between the listings module and pipeline execution: normalizing a record envelope in
// place, and turning detected listing changes into `listing.*` workflow jobs.

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

/// One job per change, kind = the change's event (listing.created, listing.price_changed,
/// listing.status_changed), payload {"tenant","pipeline","listing_key","event","old_value",
/// "new_value","record_hash"}, idempotency key `listing:<pipeline>/<key>/<event>/<hash>` so a
/// re-run batch enqueues nothing new. Handlers come with the workflow engine; until then the
/// jobs wait in the queue.
std::vector<queue::NewJob> listing_event_jobs(const std::string& tenant,
                                              const std::string& pipeline,
                                              const std::string& correlation_id,
                                              const std::vector<ListingChange>& changes);

}  // namespace reos::listings
