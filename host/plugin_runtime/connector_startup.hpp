#pragma once

#include <vector>

#include "config/hub_config.hpp"
#include "plugin_runtime/connector_registry.hpp"
#include "plugin_runtime/plugin_scan.hpp"

namespace reos::db {
class ConnectionPool;
}
namespace reos::http {
class MetricsRegistry;
}

namespace reos::plugin_runtime {

/// Starts every enabled connector of every tenant in `hub`: finds its plugin among `plugins`,
/// checks its settings against the plugin's schema, and creates an instance (in process, or
/// in a child process for `isolation: process`) with DefaultHostServices. A connector that
/// cannot start — unknown or refused plugin, invalid settings, create failing — is logged,
/// recorded in `registry` with the reason and marked `status = 'failing'`, `last_error` in
/// the `connectors` table; the others carry on. A started connector's stale 'failing' status
/// is cleared. Never throws for one connector; `pool` and `metrics` must outlive `registry`.
void start_connectors(const config::HubConfig& hub, const std::vector<LoadOutcome>& plugins,
                      db::ConnectionPool& pool, http::MetricsRegistry& metrics,
                      ConnectorRegistry& registry);

/// Logs each refused plugin (warn) and each loaded one (info) of a scan.
void log_plugin_scan(const std::vector<LoadOutcome>& plugins);

}  // namespace reos::plugin_runtime
