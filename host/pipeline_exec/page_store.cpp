#include "pipeline_exec/page_store.hpp"

#include <functional>
#include <future>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "pipeline/record_envelope.hpp"
#include "pipeline_exec/record_keys.hpp"

namespace reos::pipeline_exec {

bool stores_page_in_pull(const pipeline::PipelineConfig& cfg) {
  return cfg.record_type == "property" && !cfg.stages.normalize_field_map.empty() &&
         cfg.stages.enrich.empty() && cfg.stages.score.empty() && cfg.routes.empty();
}

namespace {

// Records [begin, end) of the page.
NormalizedPage normalize_range(const listings::FieldMap& map, const PageOrigin& origin,
                               const std::vector<std::string>& emitted, std::size_t begin,
                               std::size_t end) {
  NormalizedPage page;
  page.fetched = end - begin;
  page.canonical.reserve(end - begin);
  for (std::size_t i = begin; i < end; ++i) {
    pipeline::RecordJson raw;
    try {
      raw = pipeline::RecordJson::parse(emitted[i]);
    } catch (const std::invalid_argument& e) {
      throw pipeline::EnvelopeError("source emitted a record that is not valid JSON (#" +
                                    std::to_string(i) + "): " + e.what());
    }
    if (!raw.is_object()) {
      throw pipeline::EnvelopeError("source emitted a record that is not a JSON object (#" +
                                    std::to_string(i) + ")");
    }
    listings::Normalized n = map.apply(raw);
    if (n.ok) {
      page.canonical.push_back(listings::prepare_listing(std::move(n.record)));
      continue;
    }
    // The record as it entered the refusing stage, as the pipeline.process job keeps it.
    page.quarantined.push_back({origin.tenant, origin.pipeline, record_id_of(raw),
                                record_correlation_id(origin.page_correlation, i), "normalize",
                                origin.connector, "normalize: " + n.reason, emitted[i],
                                origin.job_id});
  }
  return page;
}

// Below this many records a page is normalized on one thread.
constexpr std::size_t kSplitFrom = 1000;

}  // namespace

NormalizedPage normalize_page(const listings::FieldMap& map, const PageOrigin& origin,
                              const std::vector<std::string>& emitted) {
  if (emitted.size() < kSplitFrom) return normalize_range(map, origin, emitted, 0, emitted.size());
  // Mapping, dumping and hashing a page is the pull's CPU work (the database is busy with the
  // previous page meanwhile): its two halves run on two threads, the records keep their order.
  const std::size_t half = emitted.size() / 2;
  auto second = std::async(std::launch::async, normalize_range, std::cref(map), std::cref(origin),
                           std::cref(emitted), half, emitted.size());
  NormalizedPage page = normalize_range(map, origin, emitted, 0, half);
  NormalizedPage rest = second.get();
  page.fetched += rest.fetched;
  page.canonical.reserve(page.canonical.size() + rest.canonical.size());
  for (auto& c : rest.canonical) page.canonical.push_back(std::move(c));
  for (auto& q : rest.quarantined) page.quarantined.push_back(std::move(q));
  return page;
}

listings::UpsertSummary write_page(pqxx::transaction_base& tx, const PageOrigin& origin,
                                   const NormalizedPage& page) {
  for (const QuarantinedRecord& q : page.quarantined) quarantine_record(tx, q);
  if (page.canonical.empty()) return {};
  return listings::upsert_properties(tx, origin.tenant, origin.connector, page.canonical);
}

}  // namespace reos::pipeline_exec
