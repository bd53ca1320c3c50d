#pragma once

// Pages stored by the pull (docs/pipeline-execution.md, "Pages stored by the pull"): a
// property pipeline whose only stages are in-process (normalize with a field map, the property
// upsert; no enrich or score connector, no route) has nothing to hand to another job, so the
// source.pull job normalizes and upserts its page in the transaction that advances the cursor.
// The page is then committed together with the cursor, and never travels through the queue as
// a 2.5 MB JSON payload that would be written, read and parsed again.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "listings/field_map.hpp"
#include "listings/property_store.hpp"
#include "pipeline/pipeline_config.hpp"
#include "pipeline_exec/quarantine.hpp"

namespace pqxx {
class transaction_base;
}

namespace reos::pipeline_exec {

/// Whether `cfg`'s pages are stored by the pull: record type property, a normalize field map,
/// no enrich, no score, no route.
bool stores_page_in_pull(const pipeline::PipelineConfig& cfg);

/// A pulled page, normalized: the canonical records to upsert (JSON text and hash computed)
/// and the refused ones.
struct NormalizedPage {
  std::vector<listings::PreparedListing> canonical;
  std::vector<QuarantinedRecord> quarantined;
  std::size_t fetched = 0;
};

/// What the page is about, for the quarantine rows it makes.
struct PageOrigin {
  std::string tenant;
  std::string pipeline;
  std::string connector;
  std::string page_correlation;  ///< page_correlation_id(): record i gets "<page>-<i>"
  std::int64_t job_id = 0;
};

/// Parses each emitted record, applies the field map and prepares the canonical record for the
/// upsert (its text and hash: CPU work done before the page's transaction); a refused record is
/// quarantined with stage "normalize" (as pipeline.process does). Throws pipeline::EnvelopeError
/// for a record that is not a JSON object (the pull then fails, as for a page job).
NormalizedPage normalize_page(const listings::FieldMap& map, const PageOrigin& origin,
                              const std::vector<std::string>& emitted);

/// Inside `tx` (in the tenant's scope): the quarantine rows and the upsert of the page.
listings::UpsertSummary write_page(pqxx::transaction_base& tx, const PageOrigin& origin,
                                   const NormalizedPage& page);

}  // namespace reos::pipeline_exec
