#pragma once

#include <vector>

#include "config/config_error.hpp"
#include "config/hub_config.hpp"

namespace reos::plugin_runtime {

class SettingsSchema;

/// Checks a tenant connector's `settings:` against its plugin's settings_schema. Each problem
/// is a ConfigError placed where the operator wrote the value and rendered like every other
/// config error: `tenants/x.yaml:12:7: connectors.crm.settings.batch: wrong type …`.
/// Empty when the settings are valid. Thread-safe.
std::vector<config::ConfigError> check_connector_settings(const config::TenantConfig& tenant,
                                                          const config::ConnectorConfig& connector,
                                                          const SettingsSchema& schema);

}  // namespace reos::plugin_runtime
