#pragma once

// A HostServices for the out-of-process tests: answers from memory and records every
// request, including the CallContext the parent served it with.

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "plugin_runtime/host_services.hpp"
#include "reos/plugin.h"

namespace reos::test {

class RecordingHostServices final : public plugin_runtime::HostServices {
 public:
  using Ctx = plugin_runtime::CallContext;
  using Status = plugin_runtime::ServiceStatus;

  struct LogLine {
    int32_t level;
    std::string msg;
    std::string correlation_id;
    std::string connector_id;
  };

  void log(const Ctx& ctx, int32_t level, std::string_view msg) override {
    std::lock_guard lock(mutex);
    logs.push_back({level, std::string(msg), ctx.correlation_id, ctx.connector_id});
  }
  Status state_get(const Ctx&, std::string_view key, std::string& value) override {
    std::lock_guard lock(mutex);
    auto it = state.find(std::string(key));
    if (it == state.end()) return {REOS_NOT_FOUND, "no such key"};
    value = it->second;
    return {};
  }
  Status state_put(const Ctx&, std::string_view key, std::string_view value) override {
    std::lock_guard lock(mutex);
    state[std::string(key)] = std::string(value);
    return {};
  }
  Status secret(const Ctx&, std::string_view reference, std::string& value) override {
    if (reference != "${API_KEY}") return {REOS_NOT_FOUND, "unset"};
    value = "s3cret";
    return {};
  }
  Status http(const Ctx&, plugin_runtime::HttpExchange& exchange) override {
    std::lock_guard lock(mutex);
    http_urls.push_back(exchange.method + " " + exchange.url);
    exchange.status = 200;
    exchange.response_headers = {{"Content-Type", "text/plain"}};
    exchange.response_body = "avm-ok";
    return {};
  }
  Status counter_add(const Ctx&, std::string_view name, double delta) override {
    std::lock_guard lock(mutex);
    counters[std::string(name)] += delta;
    return {};
  }
  Status gauge_set(const Ctx&, std::string_view name, double value) override {
    std::lock_guard lock(mutex);
    gauges[std::string(name)] = value;
    return {};
  }
  Status blob_put(const Ctx&, std::string_view key, std::string_view data,
                  std::string_view content_type) override {
    std::lock_guard lock(mutex);
    blobs[std::string(key)] = std::string(data);
    blob_types[std::string(key)] = std::string(content_type);
    return {};
  }
  Status blob_get(const Ctx&, std::string_view key, std::string& data) override {
    std::lock_guard lock(mutex);
    auto it = blobs.find(std::string(key));
    if (it == blobs.end()) return {REOS_NOT_FOUND, "no such blob"};
    data = it->second;
    return {};
  }

  std::mutex mutex;
  std::vector<LogLine> logs;
  std::map<std::string, std::string> state{{"seed", "from-parent"}};
  std::vector<std::string> http_urls;
  std::map<std::string, double> counters;
  std::map<std::string, double> gauges;
  std::map<std::string, std::string> blobs;
  std::map<std::string, std::string> blob_types;
};

}  // namespace reos::test
