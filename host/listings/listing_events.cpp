#include "listings/listing_events.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <tuple>

#include "db/migration_set.hpp"  // sha256_hex

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
                                              std::vector<ListingChange> changes) {
  // Grouped by event, in key order: the same changes always make the same jobs and keys.
  std::sort(changes.begin(), changes.end(), [](const ListingChange& a, const ListingChange& b) {
    return std::tie(a.event, a.listing_key, a.record_hash) <
           std::tie(b.event, b.listing_key, b.record_hash);
  });
  std::vector<queue::NewJob> jobs;
  for (std::size_t begin = 0; begin < changes.size();) {
    const std::string& event = changes[begin].event;
    std::size_t end = begin;
    nlohmann::json list = nlohmann::json::array();
    std::string digest_input;
    while (end < changes.size() && end - begin < kChangesPerEventJob &&
           changes[end].event == event) {
      const ListingChange& c = changes[end++];
      list.push_back({{"listing_key", c.listing_key},
                      {"old_value", c.old_value},
                      {"new_value", c.new_value},
                      {"record_hash", c.record_hash}});
      digest_input.append(c.listing_key).push_back('\0');
      digest_input.append(c.record_hash).push_back('\0');
    }
    queue::NewJob job;
    job.tenant_id = tenant;
    job.kind = event;
    job.payload_json = nlohmann::json{
        {"tenant", tenant},
        {"pipeline", pipeline},
        {"event", event},
        {"changes",
         std::move(list)}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    job.idempotency_key = "listing:" + pipeline + "/" + event + "/" + db::sha256_hex(digest_input);
    job.correlation_id = correlation_id;
    jobs.push_back(std::move(job));
    begin = end;
  }
  return jobs;
}

}  // namespace reos::listings
