#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "plugin_runtime/host_services.hpp"
#include "plugin_runtime/secret_policy.hpp"

namespace reos::plugin_runtime {

/// A self-contained HostServices for running a plugin outside a hub (the conformance kit,
/// tests): state and blobs live in memory, log lines are collected, counters and gauges are
/// summed in a map, http is denied (REOS_UNSUPPORTED) and secrets resolve like the real host
/// (config::resolve_secret) but only for references in `settings_json`. Thread-safe.
class MemoryHostServices final : public HostServices {
 public:
  explicit MemoryHostServices(std::string_view settings_json = "{}");

  void log(const CallContext& ctx, int32_t level, std::string_view msg) override;
  ServiceStatus state_get(const CallContext& ctx, std::string_view key,
                          std::string& value) override;
  ServiceStatus state_put(const CallContext& ctx, std::string_view key,
                          std::string_view value) override;
  ServiceStatus secret(const CallContext& ctx, std::string_view reference,
                       std::string& value) override;
  ServiceStatus http(const CallContext& ctx, HttpExchange& exchange) override;
  ServiceStatus counter_add(const CallContext& ctx, std::string_view name, double delta) override;
  ServiceStatus gauge_set(const CallContext& ctx, std::string_view name, double value) override;
  ServiceStatus blob_put(const CallContext& ctx, std::string_view key, std::string_view data,
                         std::string_view content_type) override;
  ServiceStatus blob_get(const CallContext& ctx, std::string_view key, std::string& data) override;

  /// Log lines so far, each "LEVEL message".
  std::vector<std::string> log_lines() const;
  /// Value of a counter or gauge by the name the plugin used (0 when never set).
  double metric(const std::string& name) const;

 private:
  mutable std::mutex mutex_;
  SecretPolicy secrets_;
  std::map<std::string, std::string, std::less<>> state_;
  std::map<std::string, std::string, std::less<>> blobs_;
  std::map<std::string, double, std::less<>> metrics_;
  std::vector<std::string> log_lines_;
};

}  // namespace reos::plugin_runtime
