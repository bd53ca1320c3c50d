#include "pipeline_exec/record_keys.hpp"

#include <nlohmann/json.hpp>

#include "db/migration_set.hpp"  // sha256_hex

namespace reos::pipeline_exec {
namespace {

// Fields joined with a separator that cannot occur in them ambiguously (NUL).
std::string joined(std::initializer_list<const std::string*> parts) {
  std::string out;
  for (const std::string* p : parts) {
    out += *p;
    out.push_back('\0');
  }
  return out;
}

}  // namespace

std::string record_id_of(const pipeline::RecordJson& record) {
  const nlohmann::json& v = record.value();
  if (v.is_object()) {
    for (const char* key : {"id", "ListingKey", "ContactKey", "EventKey", "MessageKey"}) {
      const auto it = v.find(key);
      if (it == v.end()) continue;
      if (it->is_string() && !it->get_ref<const std::string&>().empty())
        return it->get<std::string>();
      if (it->is_number_integer()) return std::to_string(it->get<long long>());
    }
  }
  return "sha256:" + db::sha256_hex(record.dump());
}

std::string record_version(const pipeline::RecordJson& record) {
  return db::sha256_hex(record.dump());
}

std::string sink_job_key(const std::string& pipeline, const std::string& route,
                         const std::string& target_kind, const std::string& target_name,
                         const std::string& record_id, const std::string& version) {
  return "sink:" + db::sha256_hex(joined(
                       {&pipeline, &route, &target_kind, &target_name, &record_id, &version}));
}

std::string page_job_key(const std::string& pipeline, const std::string& connector,
                         const std::string& cursor_before, const std::string& page_digest) {
  return pipeline + "/" + connector + "@" + db::sha256_hex(cursor_before) + "#" +
         page_digest.substr(0, 16);
}

std::string next_pull_key(const std::string& pipeline, const std::string& connector,
                          const std::string& cursor) {
  return "more:" + pipeline + "/" + connector + "@" + db::sha256_hex(cursor);
}

std::string page_correlation_id(const std::string& tenant, const std::string& pipeline,
                                const std::string& connector, const std::string& cursor_before) {
  return "pull-" +
         db::sha256_hex(joined({&tenant, &pipeline, &connector, &cursor_before})).substr(0, 16);
}

std::string record_correlation_id(const std::string& page_correlation, std::size_t index) {
  return page_correlation + "-" + std::to_string(index);
}

}  // namespace reos::pipeline_exec
