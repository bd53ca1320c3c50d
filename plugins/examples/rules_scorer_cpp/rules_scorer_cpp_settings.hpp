// rules_scorer_cpp_settings.hpp — the settings of rules_scorer_cpp: their JSON Schema and
// their parsing into rules. Bad settings throw reos::Invalid with the key path at fault.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace rules_scorer_cpp {

/// How a rule compares a feature with its value.
enum class Op { eq, ne, gt, ge, lt, le, in, exists };

/// One weighted rule: when `field` of the features satisfies `op value`, `weight` is added to
/// the score under the contribution `name`.
struct Rule {
  std::string name;   ///< unique; defaults to "<field> <op> <value>"
  std::string field;  ///< a top-level key of the features object
  Op op = Op::eq;
  nlohmann::json value;  ///< number for > >= < <=; array for in; absent for exists
  double weight = 0;
};

struct Settings {
  std::vector<Rule> rules;  ///< at least one
  double base = 0;          ///< the score before any rule
};

/// JSON Schema (draft-07) of the settings, for the descriptor.
extern const char kSettingsSchema[];

/// Parses and checks the settings object; throws reos::Invalid naming the bad key, e.g.
/// "settings.rules[2].op: unknown operator \"=>\" (use ==, !=, >, >=, <, <=, in, exists)".
Settings parse_settings(const nlohmann::json& settings);

}  // namespace rules_scorer_cpp
