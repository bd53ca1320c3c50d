#include "listings/listing_events.hpp"

#include <nlohmann/json.hpp>

namespace reos::listings {

bool normalize_record(const FieldMap& map, pipeline::RecordEnvelope& record, std::string& reason) {
  Normalized n = map.apply(record.payload);
  if (!n.ok) {
    reason = "normalize: " + n.reason;
    return false;
  }
  const auto key = n.record.value().find("ListingKey");
  if (key != n.record.value().end() && key->is_string()) record.id = key->get<std::string>();
  record.payload = std::move(n.record);
  return true;
}

std::vector<queue::NewJob> listing_event_jobs(const std::string& tenant,
                                              const std::string& pipeline,
                                              const std::string& correlation_id,
                                              const std::vector<ListingChange>& changes) {
  std::vector<queue::NewJob> jobs;
  for (const ListingChange& c : changes) {
    queue::NewJob job;
    job.tenant_id = tenant;
    job.kind = c.event;
    job.payload_json = nlohmann::json{
        {"tenant", tenant},
        {"pipeline", pipeline},
        {"listing_key", c.listing_key},
        {"event", c.event},
        {"old_value", c.old_value},
        {"new_value", c.new_value},
        {"record_hash",
         c.record_hash}}.dump();
    job.idempotency_key =
        "listing:" + pipeline + "/" + c.listing_key + "/" + c.event + "/" + c.record_hash;
    job.correlation_id = correlation_id;
    jobs.push_back(std::move(job));
  }
  return jobs;
}

}  // namespace reos::listings
