#pragma once

#include <map>
#include <memory>
#include <string>

#include "config/hub_config.hpp"
#include "plugin_runtime/blob_directory.hpp"
#include "plugin_runtime/connector_state_store.hpp"
#include "plugin_runtime/host_services.hpp"
#include "plugin_runtime/secret_policy.hpp"

namespace reos::blobs {
class BlobStore;
}
namespace reos::db {
class ConnectionPool;
}
namespace reos::http {
class MetricsRegistry;
}
namespace reos::net {
class ConnectorHttpClient;
}

namespace reos::plugin_runtime {

/// Who the services act for and what they may touch.
struct ConnectorServiceSettings {
  std::string plugin;     ///< plugin name, for log lines
  std::string tenant_id;  ///< also the row-level-security scope for state
  std::string connector_id;
  std::string settings_json;                   ///< secret references in it may be resolved
  std::map<std::string, std::string> secrets;  ///< the tenant's `secrets:` (name → reference)
  std::string blob_root;                       ///< blobs go to <blob_root>/<tenant>/<connector>/
  /// The hub's configured store (hub.yaml `blobs:`, docs/blobs.md). When set, blobs go there
  /// under blobs::plugin_blob_key(tenant, connector, key) instead of under blob_root.
  std::shared_ptr<blobs::BlobStore> blob_store;
  config::EnvLookup env = nullptr;  ///< environment for `${NAME}` secrets (nullptr = getenv)
};

/// The production HostServices of one tenant connector:
/// - log → the host's JSON log with plugin, tenant, connector and correlation_id fields;
/// - state → `connectors.state` in PostgreSQL (tenant scope), see ConnectorStateStore;
/// - secret → config::resolve_secret, only for references SecretPolicy allows;
/// - counters/gauges → `reos_plugin_<name>_total` / `reos_plugin_<name>` with tenant and
///   connector labels in the registry behind /metrics;
/// - blobs → BlobDirectory under blob_root;
/// - http → the connector's own net::ConnectorHttpClient (rate limit, retries, breaker).
/// Thread-safe. `pool` and `metrics` must outlive the object.
class DefaultHostServices final : public HostServices {
 public:
  DefaultHostServices(ConnectorServiceSettings settings, db::ConnectionPool& pool,
                      http::MetricsRegistry& metrics);
  ~DefaultHostServices() override;

  void log(const CallContext& ctx, int32_t level, std::string_view msg) override;
  ServiceStatus state_get(const CallContext& ctx, std::string_view key,
                          std::string& value) override;
  /// Writes through at once (own transaction). The pipeline commits a call's
  /// CallResult::state_writes together with its work instead of calling this per key.
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

 private:
  ConnectorServiceSettings settings_;
  http::MetricsRegistry& metrics_;
  ConnectorStateStore state_;
  SecretPolicy secrets_;
  BlobDirectory blobs_;
  std::unique_ptr<net::ConnectorHttpClient> http_;  ///< null when this build has no client
};

/// True when `name` may become part of a metric name: [a-z_][a-z0-9_]*, at most 64 chars.
bool valid_plugin_metric_name(std::string_view name);

}  // namespace reos::plugin_runtime
