#pragma once

#include <string>
#include <vector>

#include "config/config_error.hpp"
#include "config/hub_config.hpp"

namespace reos::config {

/// What loading a set of tenant files found: the tenants that are valid, and per input file
/// (same order as the paths) its errors sorted by position.
struct TenantLoadResult {
  std::vector<TenantConfig> tenants;
  std::vector<std::vector<ConfigError>> errors_by_file;
  bool ok() const;
};

/// Loads and validates each tenant file (schema, duplicate connector ids, secret references
/// resolvable through `env`), then checks that no two files declare the same tenant id.
TenantLoadResult load_tenant_files(const std::vector<std::string>& paths, EnvLookup env);

/// The tenant files of a tenants directory (`*.yaml`, `*.yml`), sorted by name.
std::vector<std::string> tenant_files_in(const std::string& directory);

}  // namespace reos::config
