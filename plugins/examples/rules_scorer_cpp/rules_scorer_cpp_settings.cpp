// Settings of rules_scorer_cpp: schema and parsing (see the header).
#include "rules_scorer_cpp_settings.hpp"

#include <reos/plugin.hpp>
#include <set>
#include <string_view>
#include <utility>

namespace rules_scorer_cpp {

const char kSettingsSchema[] = R"json({
  "$schema": "http://json-schema.org/draft-07/schema#",
  "type": "object",
  "additionalProperties": false,
  "required": ["rules"],
  "properties": {
    "base": {"type": "number", "default": 0, "description": "score before any rule"},
    "rules": {
      "type": "array",
      "minItems": 1,
      "items": {
        "type": "object",
        "additionalProperties": false,
        "required": ["field", "op", "weight"],
        "properties": {
          "name": {"type": "string", "minLength": 1},
          "field": {"type": "string", "minLength": 1},
          "op": {"enum": ["==", "!=", ">", ">=", "<", "<=", "in", "exists"]},
          "value": {},
          "weight": {"type": "number"}
        }
      }
    }
  }
})json";

namespace {

constexpr std::pair<std::string_view, Op> kOps[] = {
    {"==", Op::eq}, {"!=", Op::ne}, {">", Op::gt},  {">=", Op::ge},
    {"<", Op::lt},  {"<=", Op::le}, {"in", Op::in}, {"exists", Op::exists},
};

[[noreturn]] void refuse(const std::string& path, const std::string& why) {
  throw reos::Invalid("settings." + path + ": " + why);
}

Rule parse_rule(const nlohmann::json& item, const std::string& path) {
  if (!item.is_object()) refuse(path, std::string("expected an object, got ") + item.type_name());
  for (const auto& [key, unused] : item.items())
    if (key != "name" && key != "field" && key != "op" && key != "value" && key != "weight")
      refuse(path + "." + key, "unknown key (allowed: name, field, op, value, weight)");
  Rule rule;

  const auto field = item.find("field");
  if (field == item.end() || !field->is_string() || field->get_ref<const std::string&>().empty())
    refuse(path + ".field", "expected a non-empty string");
  rule.field = field->get<std::string>();

  const auto op = item.find("op");
  if (op == item.end() || !op->is_string())
    refuse(path + ".op", "expected one of ==, !=, >, >=, <, <=, in, exists");
  bool known = false;
  for (const auto& [text, value] : kOps)
    if (text == op->get_ref<const std::string&>()) {
      rule.op = value;
      known = true;
    }
  if (!known)
    refuse(path + ".op", "unknown operator \"" + op->get<std::string>() +
                             "\" (use ==, !=, >, >=, <, <=, in, exists)");

  const auto value = item.find("value");
  switch (rule.op) {
    case Op::exists:
      if (value != item.end()) refuse(path + ".value", "must be absent for op \"exists\"");
      break;
    case Op::gt:
    case Op::ge:
    case Op::lt:
    case Op::le:
      if (value == item.end() || !value->is_number())
        refuse(path + ".value", "expected a number for op \"" + op->get<std::string>() + "\"");
      break;
    case Op::in:
      if (value == item.end() || !value->is_array())
        refuse(path + ".value", "expected an array for op \"in\"");
      break;
    case Op::eq:
    case Op::ne:
      if (value == item.end())
        refuse(path + ".value", "is required for op \"" + op->get<std::string>() + "\"");
      break;
  }
  if (value != item.end()) rule.value = *value;

  const auto weight = item.find("weight");
  if (weight == item.end() || !weight->is_number()) refuse(path + ".weight", "expected a number");
  rule.weight = weight->get<double>();

  const auto name = item.find("name");
  if (name != item.end()) {
    if (!name->is_string() || name->get_ref<const std::string&>().empty())
      refuse(path + ".name", "expected a non-empty string");
    rule.name = name->get<std::string>();
  } else {
    rule.name = rule.field + " " + op->get<std::string>() +
                (rule.op == Op::exists ? "" : " " + rule.value.dump());
  }
  return rule;
}

}  // namespace

Settings parse_settings(const nlohmann::json& settings) {
  Settings out;
  for (const auto& [key, unused] : settings.items())
    if (key != "rules" && key != "base") refuse(key, "unknown key (allowed: base, rules)");

  if (const auto base = settings.find("base"); base != settings.end()) {
    if (!base->is_number()) refuse("base", "expected a number");
    out.base = base->get<double>();
  }

  const auto rules = settings.find("rules");
  if (rules == settings.end()) refuse("rules", "is required (a list of rules)");
  if (!rules->is_array() || rules->empty()) refuse("rules", "expected a non-empty list of rules");
  std::set<std::string> names;
  for (std::size_t i = 0; i < rules->size(); ++i) {
    const std::string path = "rules[" + std::to_string(i) + "]";
    Rule rule = parse_rule((*rules)[i], path);
    if (!names.insert(rule.name).second)
      refuse(path + ".name", "duplicate rule name \"" + rule.name + "\" (names must be unique)");
    out.rules.push_back(std::move(rule));
  }
  return out;
}

}  // namespace rules_scorer_cpp
