#include "plugin_runtime/settings_schema.hpp"

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

namespace reos::plugin_runtime {
namespace {

using nlohmann::json;

std::string escape_pointer_token(const std::string& token) {
  std::string out;
  for (char c : token) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out.push_back(c);
  }
  return out;
}

// valijson names a node as {"<root>", "[http]", "[0]"}.
std::string pointer_from_context(const std::vector<std::string>& context) {
  std::string pointer;
  for (const std::string& part : context) {
    if (part == "<root>") continue;
    const bool bracketed = part.size() >= 2 && part.front() == '[' && part.back() == ']';
    pointer += "/" + escape_pointer_token(bracketed ? part.substr(1, part.size() - 2) : part);
  }
  return pointer;
}

std::string type_name(const json& value) {
  switch (value.type()) {
    case json::value_t::object:
      return "object";
    case json::value_t::array:
      return "array";
    case json::value_t::string:
      return "string";
    case json::value_t::boolean:
      return "boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      return "integer";
    case json::value_t::number_float:
      return "number";
    default:
      return "null";
  }
}

// valijson's wording, made shorter where it is clumsy; the rest is passed through.
std::string reword(const std::string& what, const json* value) {
  if (what.rfind("Missing required property '", 0) == 0) {
    const std::size_t start = what.find('\'') + 1;
    return "missing required key '" + what.substr(start, what.rfind('\'') - start) + "'";
  }
  if (what.rfind("Value type not permitted", 0) == 0 && value) {
    return "wrong type (" + type_name(*value) + " not allowed here)";
  }
  return what;
}

// The subschema for the object at `pointer`, following `properties` only (nullptr when the
// schema does not describe it that way).
const json* object_schema_at(const json& schema, const std::string& pointer) {
  const json* sub = &schema;
  const json::json_pointer ptr(pointer);
  std::vector<std::string> tokens;
  for (json::json_pointer p = ptr; !p.empty(); p.pop_back())
    tokens.insert(tokens.begin(), p.back());
  for (const std::string& token : tokens) {
    if (!sub->is_object() || !sub->contains("properties") ||
        !(*sub)["properties"].contains(token)) {
      return nullptr;
    }
    sub = &(*sub)["properties"][token];
  }
  return sub;
}

// valijson names only the object with unknown keys; name each key, at the key.
void unknown_keys(const json& schema, const json& settings, const std::string& pointer,
                  std::vector<SettingsProblem>& problems) {
  const json* sub = object_schema_at(schema, pointer);
  const json::json_pointer at(pointer);
  if (!sub || !settings.contains(at) || !settings.at(at).is_object()) {
    problems.push_back({pointer, "unknown key (the schema does not allow additional keys)"});
    return;
  }
  const json properties = sub->value("properties", json::object());
  std::string allowed;
  for (const auto& [key, unused] : properties.items()) {
    (void)unused;
    allowed += (allowed.empty() ? "" : ", ") + key;
  }
  for (const auto& [key, unused] : settings.at(at).items()) {
    (void)unused;
    if (properties.contains(key)) continue;
    problems.push_back(
        {pointer + "/" + escape_pointer_token(key),
         "unknown key '" + key + "'" +
             (allowed.empty() ? " (no keys are allowed here)" : " (allowed: " + allowed + ")"),
         true});
  }
}

}  // namespace

struct SettingsSchema::Impl {
  json document;
  valijson::Schema schema;
  bool declared = false;
};

SettingsSchema::SettingsSchema() : impl_(std::make_unique<Impl>()) {}
SettingsSchema::~SettingsSchema() = default;

std::shared_ptr<const SettingsSchema> SettingsSchema::compile(std::string_view schema_text) {
  std::shared_ptr<SettingsSchema> compiled(new SettingsSchema());
  Impl& impl = *compiled->impl_;
  impl.declared = !schema_text.empty();
  if (!impl.declared) {
    impl.document = json{{"type", "object"}};
  } else {
    impl.document = json::parse(schema_text, nullptr, false);
    if (impl.document.is_discarded()) {
      throw std::invalid_argument("settings_schema is not valid JSON");
    }
    if (!impl.document.is_object() && !impl.document.is_boolean()) {
      throw std::invalid_argument("settings_schema must be a JSON object (a JSON Schema)");
    }
  }
  try {
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::NlohmannJsonAdapter adapter(impl.document);
    parser.populateSchema(adapter, impl.schema);
  } catch (const std::exception& e) {
    throw std::invalid_argument(std::string("settings_schema is not a usable JSON Schema: ") +
                                e.what());
  }
  if (impl.document.is_object()) {
    for (const json& key : impl.document.value("required", json::array())) {
      if (key.is_string()) compiled->required_keys_.push_back(key.get<std::string>());
    }
  }
  return compiled;
}

std::vector<SettingsProblem> SettingsSchema::validate(std::string_view settings_json) const {
  const json settings = json::parse(settings_json, nullptr, false);
  if (settings.is_discarded()) return {{"", "settings are not valid JSON"}};
  if (!settings.is_object())
    return {{"", "settings must be a mapping, got " + type_name(settings)}};
  valijson::Validator validator(valijson::Validator::kStrongTypes);
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter target(settings);
  if (validator.validate(impl_->schema, target, &results)) return {};
  std::vector<SettingsProblem> problems;
  for (const auto& error : results) {
    // valijson repeats each failure on every enclosing node; the innermost says everything.
    if (error.description.rfind("Failed to validate", 0) == 0) continue;
    SettingsProblem problem;
    problem.pointer = pointer_from_context(error.context);
    if (error.description.rfind("Object contains a property that could not be validated", 0) == 0) {
      unknown_keys(impl_->document, settings, problem.pointer, problems);
      continue;
    }
    const json::json_pointer ptr(problem.pointer);
    const json* value = settings.contains(ptr) ? &settings.at(ptr) : nullptr;
    problem.message = reword(error.description, value);
    problems.push_back(std::move(problem));
  }
  if (problems.empty()) problems.push_back({"", "settings do not match the plugin's schema"});
  return problems;
}

std::string SettingsSchema::pretty() const {
  return impl_->declared ? impl_->document.dump(2) : std::string();
}

}  // namespace reos::plugin_runtime
