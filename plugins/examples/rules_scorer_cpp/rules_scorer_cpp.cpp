// rules_scorer_cpp — a reos scorer written with reos/plugin.hpp: the teaching example for C++
// plugins (see README.md).
//
// The score of a features object is settings.base plus the weight of every rule it satisfies;
// the output names each rule's contribution (its weight, or 0):
//   {"score": 15, "contributions": {"BedroomsTotal >= 3": 10, "City == \"Seattle\"": 5}}
// A rule on a field the features lack contributes 0 (except "!=", which holds). Comparisons
// (> >= < <=) apply only to numbers; a non-number contributes 0.
#include <reos/plugin.hpp>

#include "rules_scorer_cpp_settings.hpp"

namespace rules_scorer_cpp {

namespace {

bool matches(const Rule& rule, const nlohmann::json& features) {
  const auto it = features.find(rule.field);
  if (it == features.end()) return rule.op == Op::ne;
  const nlohmann::json& v = *it;
  switch (rule.op) {
    case Op::exists:
      return !v.is_null();
    case Op::eq:
      return v == rule.value;  // numbers compare by value: 3 == 3.0
    case Op::ne:
      return v != rule.value;
    case Op::in:
      for (const auto& candidate : rule.value)
        if (v == candidate) return true;
      return false;
    case Op::gt:
    case Op::ge:
    case Op::lt:
    case Op::le: {
      if (!v.is_number()) return false;
      const double a = v.get<double>(), b = rule.value.get<double>();
      return rule.op == Op::gt   ? a > b
             : rule.op == Op::ge ? a >= b
             : rule.op == Op::lt ? a < b
                                 : a <= b;
    }
  }
  return false;
}

}  // namespace

/// One scorer per tenant connector. Immutable after construction, hence REOS_FLAG_THREAD_SAFE.
class RulesScorer : public reos::Plugin {
 public:
  /// Throws reos::Invalid (-> REOS_INVALID) for settings the schema could not rule out.
  RulesScorer(reos::Call& call, const nlohmann::json& settings)
      : settings_(parse_settings(settings)) {
    call.debug("rules_scorer_cpp: " + std::to_string(settings_.rules.size()) + " rules");
  }

  reos::Result score(reos::Call& call, const nlohmann::json& features) {
    double score = settings_.base;
    nlohmann::json contributions = nlohmann::json::object();
    std::size_t matched = 0;
    for (const Rule& rule : settings_.rules) {
      const bool hit = matches(rule, features);
      contributions[rule.name] = hit ? rule.weight : 0.0;
      if (hit) {
        score += rule.weight;
        ++matched;
      }
    }
    call.counter_add("rules_scorer_cpp_rules_matched", static_cast<double>(matched));
    return reos::Result::ok({{"score", score}, {"contributions", std::move(contributions)}});
  }

 private:
  const Settings settings_;
};

}  // namespace rules_scorer_cpp

REOS_CPP_PLUGIN(rules_scorer_cpp::RulesScorer, "rules_scorer_cpp", "1.0.0",
                "Scores leads and listings by weighted rules from settings", REOS_KIND_SCORER,
                REOS_FLAG_THREAD_SAFE, rules_scorer_cpp::kSettingsSchema);
