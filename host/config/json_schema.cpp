#include "config/json_schema.hpp"

#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "config/yaml_document.hpp"

namespace reos::config {
namespace {

using nlohmann::json;

// valijson names a node as {"<root>", "[http]", "[port]"}.
std::string pointer_from_context(const std::vector<std::string>& context) {
  std::string pointer;
  for (const std::string& part : context) {
    if (part == "<root>") continue;
    const bool bracketed = part.size() >= 2 && part.front() == '[' && part.back() == ']';
    pointer = pointer_append(pointer, bracketed ? part.substr(1, part.size() - 2) : part);
  }
  return pointer;
}

const json* instance_at(const json& root, const std::string& pointer) {
  const json* node = &root;
  for (const std::string& segment : pointer_segments(pointer)) {
    if (node->is_object()) {
      const auto it = node->find(segment);
      if (it == node->end()) return nullptr;
      node = &*it;
    } else if (node->is_array()) {
      const std::size_t index = std::stoul(segment);
      if (index >= node->size()) return nullptr;
      node = &(*node)[index];
    } else {
      return nullptr;
    }
  }
  return node;
}

// The subschema that governs the instance node at `pointer` (nullptr when free-form).
const json* schema_at(const json& schema, const json& root, const std::string& pointer) {
  const json* sub = &schema;
  const json* node = &root;
  for (const std::string& segment : pointer_segments(pointer)) {
    if (!sub->is_object() || !node) return nullptr;
    if (node->is_array()) {
      const auto items = sub->find("items");
      if (items == sub->end()) return nullptr;
      sub = &*items;
      const std::size_t index = std::stoul(segment);
      node = index < node->size() ? &(*node)[index] : nullptr;
      continue;
    }
    const auto props = sub->find("properties");
    if (props != sub->end() && props->contains(segment)) {
      sub = &(*props)[segment];
    } else if (const auto extra = sub->find("additionalProperties");
               extra != sub->end() && extra->is_object()) {
      sub = &*extra;
    } else {
      return nullptr;
    }
    const auto child = node->is_object() ? node->find(segment) : node->end();
    node = node->is_object() && child != node->end() ? &*child : nullptr;
  }
  return sub;
}

std::string yaml_type_name(const std::string& json_type) {
  if (json_type == "object") return "mapping";
  if (json_type == "array") return "sequence";
  return json_type;
}

std::string type_of(const json& value) {
  switch (value.type()) {
    case json::value_t::object:
      return "mapping";
    case json::value_t::array:
      return "sequence";
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

// A value as an operator wrote it: "8080" for a string, 70000 for a number.
std::string show(const json& value) {
  if (value.is_object() || value.is_array() || value.is_null()) return type_of(value);
  std::string text = value.dump();
  if (text.size() > 60) text = text.substr(0, 56) + "...\"";
  return text;
}

std::string join(const json& values) {
  std::string text;
  for (const json& value : values) {
    if (!text.empty()) text += ", ";
    text += value.is_string() ? value.get<std::string>() : value.dump();
  }
  return text;
}

class MessageBuilder {
 public:
  MessageBuilder(const json& instance, const json& schema) : root_(instance), schema_(schema) {}

  void add(const valijson::ValidationResults::Error& error, std::vector<SchemaProblem>& out) {
    const std::string& what = error.description;
    // valijson repeats each failure on every enclosing node ("Failed to validate item #1…");
    // the innermost report says everything.
    if (what.rfind("Failed to validate", 0) == 0) return;

    const std::string pointer = pointer_from_context(error.context);
    const json* value = instance_at(root_, pointer);
    const json* sub = schema_at(schema_, root_, pointer);
    const bool secret = sub && sub->value("writeOnly", false);
    const std::string got = value && !secret ? show(*value) : "";
    // After a list ("one of: a, b") the value follows a semicolon so it does not read as an item.
    const std::string semi_got = got.empty() ? "" : "; got " + got;
    const auto with_got = [&](std::string message) {
      return got.empty() ? message : message + ", got " + got;
    };

    if (what.rfind("Value type not permitted", 0) == 0 && sub && value) {
      std::string expected;
      const json types = sub->contains("type") ? (*sub)["type"] : json();
      for (const json& type : types.is_array() ? types : json::array({types})) {
        if (!expected.empty()) expected += " or ";
        expected += yaml_type_name(type.get<std::string>());
      }
      std::string message = "expected " + expected + ", got " + type_of(*value);
      if (!secret && !value->is_object() && !value->is_array() && !value->is_null()) {
        message += " " + show(*value);
      }
      emit(out, pointer, message);
    } else if (what.rfind("Failed to match against any enum", 0) == 0 && sub) {
      emit(out, pointer, "must be one of: " + join(sub->value("enum", json::array())) + semi_got);
    } else if (what.rfind("Expected number", 0) == 0 && sub) {
      const bool has_min = sub->contains("minimum");
      const bool has_max = sub->contains("maximum");
      if (has_min && has_max) {
        emit(out, pointer,
             with_got("must be between " + (*sub)["minimum"].dump() + " and " +
                      (*sub)["maximum"].dump()));
      } else if (has_min) {
        emit(out, pointer, with_got("must be at least " + (*sub)["minimum"].dump()));
      } else {
        emit(out, pointer, with_got("must be at most " + (*sub)["maximum"].dump()));
      }
    } else if (what.rfind("Failed to match regex", 0) == 0 && sub) {
      if (sub->contains("x-pattern-message")) {
        emit(out, pointer, (*sub)["x-pattern-message"].get<std::string>() + semi_got);
      } else {
        emit(out, pointer, "must match " + sub->value("pattern", std::string()) + semi_got);
      }
    } else if (what.rfind("String should be no fewer", 0) == 0 && sub) {
      const auto min = sub->value("minLength", 0);
      emit(out, pointer,
           min == 1 ? std::string("must not be empty")
                    : "must be at least " + std::to_string(min) + " characters");
    } else if (what.rfind("String should be no more", 0) == 0 && sub) {
      emit(out, pointer,
           "must be at most " + std::to_string(sub->value("maxLength", 0)) + " characters");
    } else if (what.rfind("Missing required property '", 0) == 0) {
      const std::size_t start = what.find('\'') + 1;
      emit(out, pointer,
           "missing required key '" + what.substr(start, what.rfind('\'') - start) + "'");
    } else if (what.rfind("Object contains a property that could not be validated", 0) == 0 &&
               value && value->is_object()) {
      unknown_keys(out, pointer, *value, sub);
    } else {
      emit(out, pointer, what);  // a constraint this builder has no wording for yet
    }
  }

 private:
  // valijson names only the first unknown key; name them all, each at its own key.
  void unknown_keys(std::vector<SchemaProblem>& out, const std::string& pointer, const json& object,
                    const json* sub) {
    const json properties =
        sub && sub->contains("properties") ? (*sub)["properties"] : json::object();
    std::string allowed;
    for (const auto& [key, unused] : properties.items()) {
      (void)unused;
      allowed += (allowed.empty() ? "" : ", ") + key;
    }
    for (const auto& [key, unused] : object.items()) {
      (void)unused;
      if (properties.contains(key)) continue;
      emit(out, pointer_append(pointer, key),
           "unknown key '" + key + "'" +
               (allowed.empty() ? " (this mapping takes no keys)" : " (allowed: " + allowed + ")"),
           true);
    }
  }

  void emit(std::vector<SchemaProblem>& out, const std::string& pointer, const std::string& message,
            bool at_key = false) {
    if (!seen_.emplace(pointer, message, at_key).second) return;
    out.push_back({pointer, message, at_key});
  }

  const json& root_;
  const json& schema_;
  std::set<std::tuple<std::string, std::string, bool>> seen_;
};

}  // namespace

struct JsonSchema::Impl {
  json document;  // kept for the wording of messages (enum values, ranges, allowed keys)
  valijson::Schema schema;
};

JsonSchema::JsonSchema() : impl_(std::make_unique<Impl>()) {}
JsonSchema::~JsonSchema() = default;

std::shared_ptr<const JsonSchema> JsonSchema::compile(const json& document) {
  std::shared_ptr<JsonSchema> compiled(new JsonSchema());
  compiled->impl_->document = document;
  try {
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::NlohmannJsonAdapter adapter(compiled->impl_->document);
    parser.populateSchema(adapter, compiled->impl_->schema);
  } catch (const std::exception& e) {
    throw std::invalid_argument(std::string("not a usable JSON Schema: ") + e.what());
  }
  return compiled;
}

std::vector<SchemaProblem> JsonSchema::validate(const json& instance) const {
  valijson::Validator validator(valijson::Validator::kStrongTypes);
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter target(instance);
  if (validator.validate(impl_->schema, target, &results)) return {};
  std::vector<SchemaProblem> problems;
  MessageBuilder builder(instance, impl_->document);
  for (const auto& error : results) builder.add(error, problems);
  // Invalid always yields at least one problem, even for a constraint with no wording.
  if (problems.empty()) problems.push_back({"", "does not match the schema"});
  return problems;
}

const json& JsonSchema::document() const {
  return impl_->document;
}

}  // namespace reos::config
