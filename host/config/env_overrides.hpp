#pragma once

#include <string>
#include <vector>

#include "config/config_error.hpp"
#include "config/yaml_document.hpp"

namespace reos::config {

/// Applies `REOS_*` overrides from `KEY=VALUE` entries to a hub document before validation:
/// `REOS_HTTP__PORT=9090` sets http.port (`__` separates levels, names are lowercased, the value
/// is a YAML scalar or flow collection). Overridden nodes are recorded at `env:REOS_…`, so
/// schema errors about them name the variable. REOS_CONFIG and REOS_TEST_* are not keys.
void apply_env_overrides(const std::vector<std::string>& environ_entries, YamlDocument& doc,
                         std::vector<ConfigError>& errors);

/// The JSON pointer an override variable addresses (`REOS_HTTP__PORT` → `/http/port`), or ""
/// when the variable is not a config override.
std::string override_pointer(const std::string& variable);

}  // namespace reos::config
