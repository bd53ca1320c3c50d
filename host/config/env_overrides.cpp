#include "config/env_overrides.hpp"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

namespace reos::config {
namespace {

constexpr std::string_view kPrefix = "REOS_";

// Variables with the prefix that belong to scripts, tests and the runtime rather than to
// hub.yaml (REOS_PLUGIN_HOST locates the child binary of `isolation: process` connectors).
bool reserved(const std::string& variable) {
  return variable == "REOS_CONFIG" || variable == "REOS_PLUGIN_HOST" ||
         variable.rfind("REOS_TEST_", 0) == 0;
}

}  // namespace

std::string override_pointer(const std::string& variable) {
  if (variable.rfind(kPrefix, 0) != 0 || reserved(variable)) return "";
  std::string rest = variable.substr(kPrefix.size());
  std::transform(rest.begin(), rest.end(), rest.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::string pointer;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = rest.find("__", start);
    pointer = pointer_append(pointer, rest.substr(start, end - start));
    if (end == std::string::npos) break;
    start = end + 2;
  }
  return pointer;
}

void apply_env_overrides(const std::vector<std::string>& environ_entries, YamlDocument& doc,
                         std::vector<ConfigError>& errors) {
  // Sorted so the outcome does not depend on the order of the environment.
  std::vector<std::string> entries(environ_entries);
  std::sort(entries.begin(), entries.end());
  for (const std::string& entry : entries) {
    const std::size_t equals = entry.find('=');
    if (equals == std::string::npos) continue;
    const std::string variable = entry.substr(0, equals);
    const std::string pointer = override_pointer(variable);
    if (pointer.empty()) continue;
    const SourcePos origin{"env:" + variable, 0, 0};

    // Walk to the parent mapping, creating mappings the file left out.
    const std::vector<std::string> segments = pointer_segments(pointer);
    nlohmann::json* parent = &doc.root();
    std::string parent_pointer;
    bool blocked = false;
    for (std::size_t i = 0; i + 1 < segments.size(); ++i) {
      parent_pointer = pointer_append(parent_pointer, segments[i]);
      nlohmann::json& child = (*parent)[segments[i]];
      if (child.is_null()) {
        child = nlohmann::json::object();
        doc.set_origin(parent_pointer, {origin, origin});
      } else if (!child.is_object()) {
        errors.push_back({origin.source, 0, 0, dotted_path(doc.root(), parent_pointer),
                          "cannot override a key inside a " +
                              std::string(child.is_array() ? "sequence" : "scalar")});
        blocked = true;
        break;
      }
      parent = &child;
    }
    if (blocked || segments.back().empty()) {
      if (!blocked) {
        errors.push_back({origin.source, 0, 0, "", "not a config key (empty name segment)"});
      }
      continue;
    }
    doc.forget_origins_under(pointer);
    nlohmann::json value;
    if (parse_yaml_value(entry.substr(equals + 1), pointer, origin, doc, value, errors)) {
      (*parent)[segments.back()] = std::move(value);
    }
  }
}

}  // namespace reos::config
