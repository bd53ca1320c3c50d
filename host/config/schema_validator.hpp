#pragma once

#include <string_view>
#include <vector>

#include "config/config_error.hpp"
#include "config/yaml_document.hpp"

namespace reos::config {

/// Validates `doc` against the embedded JSON Schema `schema_file` (`hub.json`, `tenant.json`)
/// and appends one operator-readable error per problem, each placed at the offending value (at
/// the key for an unknown key, at the mapping for a missing one). Values of `writeOnly` schema
/// nodes (secrets, database URLs) never appear in a message.
void validate_against_schema(const YamlDocument& doc, std::string_view schema_file,
                             std::vector<ConfigError>& errors);

}  // namespace reos::config
