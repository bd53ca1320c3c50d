// loopback_host_services.hpp — the host services plugin tests run under:
// MemoryHostServices (state, secrets from the settings' references, metrics, logs), except
// that http goes through a real net::ConnectorHttpClient over loopback, with its retries,
// timeouts and Retry-After handling, as in production. Shared by the plugin suites (rets,
// reso_webapi, sendgrid, twilio).
#pragma once

#include <string>

#include "http/metrics_registry.hpp"
#include "net/connector_http_client.hpp"
#include "plugin_runtime/memory_host_services.hpp"

namespace reos::test {

class LoopbackHostServices final : public plugin_runtime::HostServices {
 public:
  using CallContext = plugin_runtime::CallContext;
  using ServiceStatus = plugin_runtime::ServiceStatus;

  LoopbackHostServices(const std::string& settings_json, net::ConnectorHttpSettings http)
      : memory_(settings_json), client_(http, metrics_, "acme", "provider") {}

  /// Fast settings for tests: one retry, short backoff, 1 s per attempt.
  static net::ConnectorHttpSettings test_http_settings() {
    net::ConnectorHttpSettings s;
    s.timeout_ms = 1000;
    s.rate_per_s = 0;
    s.max_retries = 1;
    s.backoff_base_ms = 10;
    s.backoff_cap_ms = 20;
    s.breaker_failures = 1000;
    return s;
  }

  void log(const CallContext& c, int32_t level, std::string_view msg) override {
    memory_.log(c, level, msg);
  }
  ServiceStatus state_get(const CallContext& c, std::string_view k, std::string& v) override {
    return memory_.state_get(c, k, v);
  }
  ServiceStatus state_put(const CallContext& c, std::string_view k, std::string_view v) override {
    return memory_.state_put(c, k, v);
  }
  ServiceStatus secret(const CallContext& c, std::string_view r, std::string& v) override {
    return memory_.secret(c, r, v);
  }
  ServiceStatus http(const CallContext& c, plugin_runtime::HttpExchange& e) override {
    return client_.perform(e, c.deadline);
  }
  ServiceStatus counter_add(const CallContext& c, std::string_view n, double d) override {
    return memory_.counter_add(c, n, d);
  }
  ServiceStatus gauge_set(const CallContext& c, std::string_view n, double v) override {
    return memory_.gauge_set(c, n, v);
  }
  ServiceStatus blob_put(const CallContext& c, std::string_view k, std::string_view d,
                         std::string_view t) override {
    return memory_.blob_put(c, k, d, t);
  }
  ServiceStatus blob_get(const CallContext& c, std::string_view k, std::string& d) override {
    return memory_.blob_get(c, k, d);
  }
  double metric(const std::string& name) const { return memory_.metric(name); }
  std::vector<std::string> log_lines() const { return memory_.log_lines(); }

 private:
  plugin_runtime::MemoryHostServices memory_;
  http::MetricsRegistry metrics_;
  net::ConnectorHttpClient client_;
};

}  // namespace reos::test
