#include "config/tenant_config.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <system_error>

#include "config/schema_validator.hpp"
#include "config/secret_reference.hpp"
#include "config/text_file.hpp"
#include "config/yaml_document.hpp"
#include "messaging/messaging_config_check.hpp"
#include "pipeline/pipeline_config_loader.hpp"

namespace reos::config {
namespace {

using nlohmann::json;

void check_connector_ids(const YamlDocument& doc, std::vector<ConfigError>& errors) {
  if (!doc.root().is_object()) return;
  const json& connectors = doc.root().value("connectors", json::array());
  if (!connectors.is_array()) return;
  std::map<std::string, int> first_line;
  for (std::size_t i = 0; i < connectors.size(); ++i) {
    const json& connector = connectors[i];
    if (!connector.is_object() || !connector.contains("id") || !connector["id"].is_string()) {
      continue;
    }
    const std::string id = connector["id"];
    const std::string pointer = "/connectors/" + std::to_string(i) + "/id";
    const int line = doc.origin_of(pointer).value.line;
    if (const auto first = first_line.find(id); first != first_line.end()) {
      errors.push_back(error_at(doc, pointer,
                                "duplicate connector id '" + id + "' (first defined at line " +
                                    std::to_string(first->second) + ")"));
    } else {
      first_line.emplace(id, line);
    }
  }
}

// Every reference must resolve now, so a missing secret stops the hub at start-up rather than
// failing a connector hours later. Values are resolved and dropped, never kept or printed.
void check_secrets(const YamlDocument& doc, EnvLookup env, std::vector<ConfigError>& errors) {
  if (!doc.root().is_object()) return;
  const json& secrets = doc.root().value("secrets", json::object());
  if (!secrets.is_object()) return;
  for (const auto& [name, reference] : secrets.items()) {
    if (!reference.is_string() || !is_secret_reference(reference.get<std::string>())) continue;
    try {
      (void)resolve_secret(reference.get<std::string>(), env);
    } catch (const ConfigErrors& failure) {
      for (const ConfigError& error : failure.errors()) {
        errors.push_back(error_at(doc, pointer_append("/secrets", name), error.message));
      }
    }
  }
}

// Positions of every node under a connector's settings, for errors found later against the
// plugin's own schema.
void record_positions(const YamlDocument& doc, const std::string& base, const std::string& relative,
                      const json& node, ConnectorConfig& connector) {
  const NodeOrigin origin = doc.origin_of(base + relative);
  connector.settings_positions.emplace(relative,
                                       std::make_pair(origin.value.line, origin.value.column));
  connector.settings_key_positions.emplace(relative,
                                           std::make_pair(origin.key.line, origin.key.column));
  if (node.is_object()) {
    for (const auto& [key, child] : node.items()) {
      record_positions(doc, base, pointer_append(relative, key), child, connector);
    }
  } else if (node.is_array()) {
    for (std::size_t i = 0; i < node.size(); ++i) {
      record_positions(doc, base, relative + "/" + std::to_string(i), node[i], connector);
    }
  }
}

TenantConfig build_tenant(const YamlDocument& doc, const std::string& path) {
  const json& root = doc.root();
  TenantConfig tenant;
  tenant.file = path;
  tenant.id = root["id"];
  tenant.name = root["name"];
  const json secrets = root.value("secrets", json::object());
  for (const auto& [name, reference] : secrets.items()) {
    tenant.secrets.emplace(name, reference.get<std::string>());
  }
  std::size_t index = 0;
  for (const json& item : root.value("connectors", json::array())) {
    ConnectorConfig connector;
    connector.id = item["id"];
    connector.plugin = item["plugin"];
    connector.enabled = item.value("enabled", true);
    connector.settings_json = item.value("settings", json::object()).dump();
    connector.isolation = item.value("isolation", std::string("in_process"));
    const std::string base = "/connectors/" + std::to_string(index) + "/settings";
    if (item.contains("settings")) record_positions(doc, base, "", item["settings"], connector);
    tenant.connectors.push_back(std::move(connector));
    ++index;
  }
  if (root.contains("messaging")) tenant.messaging_json = root["messaging"].dump();
  return tenant;
}

struct LoadedTenant {
  std::optional<TenantConfig> tenant;
  std::string id;  // as written, when it is a string (for the cross-file duplicate check)
  SourcePos id_position;
};

// `errors` holds this file's errors only (the caller starts a fresh list per file).
LoadedTenant load_tenant_file(const std::string& path, EnvLookup env,
                              std::vector<ConfigError>& errors) {
  LoadedTenant loaded;
  std::string text;
  if (const std::string reason = read_text_file(path, text); !reason.empty()) {
    errors.push_back({path, 0, 0, "", "cannot read file: " + reason});
    return loaded;
  }
  YamlDocument doc(path);
  if (!parse_yaml_document(text, doc, errors)) return loaded;
  validate_against_schema(doc, "tenant.json", errors);
  check_connector_ids(doc, errors);
  check_secrets(doc, env, errors);
  messaging::check_messaging_config(doc, text, errors);
  std::vector<pipeline::PipelineConfig> pipelines = pipeline::read_pipelines(doc, text, errors);
  if (doc.root().contains("id") && doc.root()["id"].is_string()) {
    loaded.id = doc.root()["id"];
    loaded.id_position = doc.origin_of("/id").value;
  }
  if (errors.empty()) {
    loaded.tenant = build_tenant(doc, path);
    loaded.tenant->pipelines = std::move(pipelines);
  }
  return loaded;
}

}  // namespace

bool TenantLoadResult::ok() const {
  return std::all_of(errors_by_file.begin(), errors_by_file.end(),
                     [](const auto& errors) { return errors.empty(); });
}

TenantLoadResult load_tenant_files(const std::vector<std::string>& paths, EnvLookup env) {
  TenantLoadResult result;
  std::map<std::string, std::string> first_file_of_id;
  for (const std::string& path : paths) {
    std::vector<ConfigError> errors;
    LoadedTenant loaded = load_tenant_file(path, env, errors);
    if (!loaded.id.empty()) {
      if (const auto first = first_file_of_id.find(loaded.id); first != first_file_of_id.end()) {
        errors.push_back(
            {loaded.id_position.source, loaded.id_position.line, loaded.id_position.column, "id",
             "duplicate tenant id '" + loaded.id + "' (also in " + first->second + ")"});
        loaded.tenant.reset();
      } else {
        first_file_of_id.emplace(loaded.id, path);
      }
    }
    sort_by_position(errors);
    if (loaded.tenant && errors.empty()) result.tenants.push_back(std::move(*loaded.tenant));
    result.errors_by_file.push_back(std::move(errors));
  }
  return result;
}

std::vector<std::string> tenant_files_in(const std::string& directory) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(directory, ec)) {
    const std::string extension = entry.path().extension().string();
    if (entry.is_regular_file(ec) && (extension == ".yaml" || extension == ".yml")) {
      files.push_back(entry.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace reos::config
