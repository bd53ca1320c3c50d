#include "pipeline_exec/job_payload.hpp"

#include <nlohmann/json.hpp>

namespace reos::pipeline_exec {
namespace {

std::string field(const nlohmann::json& j, const char* name, const std::string& fallback) {
  const auto it = j.find(name);
  if (it != j.end() && it->is_string() && !it->get_ref<const std::string&>().empty())
    return it->get<std::string>();
  if (!fallback.empty()) return fallback;
  throw BadPayload(std::string("source.pull payload: missing string field '") + name + "'");
}

}  // namespace

SourcePullPayload parse_source_pull(const std::string& payload_json,
                                    const std::string& job_tenant) {
  const nlohmann::json j = nlohmann::json::parse(payload_json, nullptr, false);
  if (!j.is_object()) throw BadPayload("source.pull payload: expected a JSON object");
  SourcePullPayload p;
  p.tenant = field(j, "tenant", job_tenant);
  p.pipeline = field(j, "pipeline", "");
  p.connector = field(j, "connector", "");
  if (const auto run = j.find("run"); run != j.end() && run->is_string()) p.run = *run;
  if (p.tenant != job_tenant) {
    throw BadPayload("source.pull payload: tenant '" + p.tenant + "' is not the job's tenant '" +
                     job_tenant + "'");
  }
  return p;
}

std::string source_pull_json(const SourcePullPayload& payload) {
  nlohmann::json j = {
      {"tenant", payload.tenant}, {"pipeline", payload.pipeline}, {"connector", payload.connector}};
  if (!payload.run.empty()) j["run"] = payload.run;
  return j.dump();
}

}  // namespace reos::pipeline_exec
