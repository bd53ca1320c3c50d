#pragma once

#include <string_view>
#include <vector>

#include "config/config_error.hpp"
#include "config/yaml_document.hpp"
#include "pipeline/pipeline_config.hpp"

namespace reos::pipeline {

/// Reads the `pipelines:` of a tenant document (already checked against schemas/config/
/// tenant.json, whose shape errors it does not repeat) and appends what the schema cannot see:
/// duplicate pipeline and route ids, references to connectors the tenant does not declare,
/// schedules and `when` predicates that do not parse (placed at the exact line and column
/// inside the scalar, using `text`, the file's contents), targets naming not exactly one of
/// notifier/exporter/job. The result is meaningful only when no error was appended.
std::vector<PipelineConfig> read_pipelines(const config::YamlDocument& doc, std::string_view text,
                                           std::vector<config::ConfigError>& errors);

}  // namespace reos::pipeline
