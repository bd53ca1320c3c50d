#include "plugin_runtime/memory_host_services.hpp"

#include "config/hub_config.hpp"
#include "plugin_runtime/default_host_services.hpp"
#include "reos/plugin.h"

namespace reos::plugin_runtime {
namespace {

const char* level_name(int32_t level) {
  switch (level) {
    case REOS_LOG_DEBUG:
      return "DEBUG";
    case REOS_LOG_WARN:
      return "WARN";
    case REOS_LOG_ERROR:
      return "ERROR";
    default:
      return "INFO";
  }
}

}  // namespace

MemoryHostServices::MemoryHostServices(std::string_view settings_json)
    : secrets_(settings_json, {}) {}

void MemoryHostServices::log(const CallContext&, int32_t level, std::string_view msg) {
  std::lock_guard lock(mutex_);
  if (log_lines_.size() < 10000) {
    log_lines_.push_back(std::string(level_name(level)) + " " + std::string(msg));
  }
}

ServiceStatus MemoryHostServices::state_get(const CallContext&, std::string_view key,
                                            std::string& value) {
  std::lock_guard lock(mutex_);
  const auto it = state_.find(key);
  if (it == state_.end())
    return {REOS_NOT_FOUND, "state_get: no state under '" + std::string(key) + "'"};
  value = it->second;
  return {};
}

ServiceStatus MemoryHostServices::state_put(const CallContext&, std::string_view key,
                                            std::string_view value) {
  std::lock_guard lock(mutex_);
  state_[std::string(key)] = std::string(value);
  return {};
}

ServiceStatus MemoryHostServices::secret(const CallContext&, std::string_view reference,
                                         std::string& value) {
  if (!secrets_.allows(reference)) {
    return {REOS_NOT_FOUND,
            "secret: '" + std::string(reference) + "' is not a reference in the settings"};
  }
  try {
    value = config::resolve_secret(std::string(reference));
  } catch (const std::exception& e) {
    return {REOS_NOT_FOUND, std::string("secret: ") + e.what()};
  }
  return {};
}

ServiceStatus MemoryHostServices::http(const CallContext&, HttpExchange&) {
  return {REOS_UNSUPPORTED, "http: not available in this host (conformance kit: no network)"};
}

ServiceStatus MemoryHostServices::counter_add(const CallContext&, std::string_view name,
                                              double delta) {
  if (!valid_plugin_metric_name(name)) {
    return {REOS_INVALID, "counter_add: name '" + std::string(name) + "' must be [a-z_][a-z0-9_]*"};
  }
  std::lock_guard lock(mutex_);
  metrics_[std::string(name)] += delta;
  return {};
}

ServiceStatus MemoryHostServices::gauge_set(const CallContext&, std::string_view name,
                                            double value) {
  if (!valid_plugin_metric_name(name)) {
    return {REOS_INVALID, "gauge_set: name '" + std::string(name) + "' must be [a-z_][a-z0-9_]*"};
  }
  std::lock_guard lock(mutex_);
  metrics_[std::string(name)] = value;
  return {};
}

ServiceStatus MemoryHostServices::blob_put(const CallContext&, std::string_view key,
                                           std::string_view data, std::string_view) {
  std::lock_guard lock(mutex_);
  blobs_[std::string(key)] = std::string(data);
  return {};
}

ServiceStatus MemoryHostServices::blob_get(const CallContext&, std::string_view key,
                                           std::string& data) {
  std::lock_guard lock(mutex_);
  const auto it = blobs_.find(key);
  if (it == blobs_.end()) return {REOS_NOT_FOUND, "blob_get: no blob '" + std::string(key) + "'"};
  data = it->second;
  return {};
}

std::vector<std::string> MemoryHostServices::log_lines() const {
  std::lock_guard lock(mutex_);
  return log_lines_;
}

double MemoryHostServices::metric(const std::string& name) const {
  std::lock_guard lock(mutex_);
  const auto it = metrics_.find(name);
  return it == metrics_.end() ? 0 : it->second;
}

}  // namespace reos::plugin_runtime
