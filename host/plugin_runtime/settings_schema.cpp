#include "plugin_runtime/settings_schema.hpp"

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace reos::plugin_runtime {

using nlohmann::json;

struct SettingsSchema::Impl {
  std::shared_ptr<const config::JsonSchema> schema;
  bool declared = false;
};

SettingsSchema::SettingsSchema() : impl_(std::make_unique<Impl>()) {}
SettingsSchema::~SettingsSchema() = default;

std::shared_ptr<const SettingsSchema> SettingsSchema::compile(std::string_view schema_text) {
  std::shared_ptr<SettingsSchema> compiled(new SettingsSchema());
  Impl& impl = *compiled->impl_;
  impl.declared = !schema_text.empty();
  json document = json{{"type", "object"}};
  if (impl.declared) {
    document = json::parse(schema_text, nullptr, false);
    if (document.is_discarded()) throw std::invalid_argument("settings_schema is not valid JSON");
    if (!document.is_object() && !document.is_boolean()) {
      throw std::invalid_argument("settings_schema must be a JSON object (a JSON Schema)");
    }
  }
  try {
    impl.schema = config::JsonSchema::compile(document);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(std::string("settings_schema is ") + e.what());
  }
  if (document.is_object()) {
    for (const json& key : document.value("required", json::array())) {
      if (key.is_string()) compiled->required_keys_.push_back(key.get<std::string>());
    }
  }
  return compiled;
}

std::vector<SettingsProblem> SettingsSchema::validate(std::string_view settings_json) const {
  const json settings = json::parse(settings_json, nullptr, false);
  if (settings.is_discarded()) return {{"", "settings are not valid JSON"}};
  if (!settings.is_object()) {
    return {{"", std::string("settings must be a mapping, got ") +
                     (settings.is_array() ? "sequence" : settings.type_name())}};
  }
  return impl_->schema->validate(settings);
}

std::string SettingsSchema::pretty() const {
  return impl_->declared ? impl_->schema->document().dump(2) : std::string();
}

}  // namespace reos::plugin_runtime
