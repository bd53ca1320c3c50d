#include "plugin_runtime/connector_settings_check.hpp"

#include <nlohmann/json.hpp>

#include "config/yaml_document.hpp"
#include "plugin_runtime/settings_schema.hpp"

namespace reos::plugin_runtime {
namespace {

// The position of `pointer`, or of its nearest ancestor the file wrote.
std::pair<int, int> position_of(const config::ConnectorConfig& connector, std::string pointer,
                                bool at_key) {
  const auto& positions = at_key ? connector.settings_key_positions : connector.settings_positions;
  for (;;) {
    const auto it = positions.find(pointer);
    if (it != positions.end()) return it->second;
    if (pointer.empty()) return {0, 0};
    pointer = pointer.substr(0, pointer.rfind('/'));
  }
}

}  // namespace

std::vector<config::ConfigError> check_connector_settings(const config::TenantConfig& tenant,
                                                          const config::ConnectorConfig& connector,
                                                          const SettingsSchema& schema) {
  std::vector<config::ConfigError> errors;
  const auto settings = nlohmann::json::parse(connector.settings_json, nullptr, false);
  for (const SettingsProblem& problem : schema.validate(connector.settings_json)) {
    config::ConfigError error;
    error.file = tenant.file;
    std::tie(error.line, error.column) = position_of(connector, problem.pointer, problem.at_key);
    error.path = "connectors." + connector.id + ".settings";
    if (!problem.pointer.empty() && !settings.is_discarded()) {
      const std::string dotted = config::dotted_path(settings, problem.pointer);
      error.path += (dotted.empty() || dotted.front() == '[' ? "" : ".") + dotted;
    }
    error.message = problem.message;
    errors.push_back(std::move(error));
  }
  config::sort_by_position(errors);
  return errors;
}

}  // namespace reos::plugin_runtime
