// The rules_scorer_cpp example plugin, through the C ABI as the host calls it.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "fake_host.hpp"

using nlohmann::json;
using sdk_test::FakeHost;
using sdk_test::LoadedPlugin;
using sdk_test::PluginUnderTest;

namespace {

const LoadedPlugin& scorer() {
  static const LoadedPlugin plugin(RULES_SCORER_CPP_PATH);
  return plugin;
}

const char* const kSettings = R"({
  "base": 1,
  "rules": [
    {"field": "BedroomsTotal", "op": ">=", "value": 3, "weight": 10},
    {"name": "in the city", "field": "City", "op": "in", "value": ["Seattle", "Tacoma"], "weight": 5},
    {"field": "HasPool", "op": "exists", "weight": 2.5},
    {"field": "Status", "op": "!=", "value": "Closed", "weight": -4}
  ]})";

}  // namespace

TEST(RulesScorerCpp, DeclaresOnlyTheScorerKindWithASettingsSchema) {
  const reos_plugin_descriptor& d = scorer().descriptor();
  EXPECT_STREQ(d.name, "rules_scorer_cpp");
  EXPECT_EQ(d.kinds, REOS_KIND_SCORER);
  EXPECT_EQ(d.flags, REOS_FLAG_THREAD_SAFE);
  EXPECT_NE(d.score, nullptr);
  EXPECT_EQ(d.pull, nullptr);
  EXPECT_EQ(d.enrich, nullptr);
  EXPECT_EQ(d.notify, nullptr);
  EXPECT_EQ(d.export_record, nullptr);
  EXPECT_EQ(d.webhook, nullptr);
  const json schema = json::parse(d.settings_schema);
  EXPECT_EQ(schema["required"], json::array({"rules"}));
}

TEST(RulesScorerCpp, ScoresKnownFeaturesWithPerRuleContributions) {
  FakeHost host;
  PluginUnderTest p(scorer(), host, kSettings);
  ASSERT_EQ(p.create_status, REOS_OK) << p.create_call.message.value_or("");
  reos_status status;
  reos_call call =
      p.score(R"({"BedroomsTotal": 4, "City": "Seattle", "Status": "Active"})", &status);
  ASSERT_EQ(status, REOS_OK) << call.message.value_or("");
  EXPECT_EQ(json::parse(*call.output), json::parse(R"({
    "score": 12.0,
    "contributions": {"BedroomsTotal >= 3": 10.0, "in the city": 5.0, "HasPool exists": 0.0,
                      "Status != \"Closed\"": -4.0}})"));
  EXPECT_EQ(host.counters["rules_scorer_cpp_rules_matched"], 3);
}

TEST(RulesScorerCpp, MissingFieldsContributeNothingExceptNotEquals) {
  FakeHost host;
  PluginUnderTest p(scorer(), host, kSettings);
  reos_status status;
  reos_call call = p.score(R"({"BedroomsTotal": "four", "HasPool": true})", &status);
  ASSERT_EQ(status, REOS_OK);
  const json out = json::parse(*call.output);
  EXPECT_EQ(out["score"], 1 + 2.5 - 4);
  EXPECT_EQ(out["contributions"]["BedroomsTotal >= 3"], 0.0);  // not a number
  EXPECT_EQ(out["contributions"]["HasPool exists"], 2.5);
}

TEST(RulesScorerCpp, BadSettingsAreInvalidNamingTheKey) {
  FakeHost host;
  const std::pair<const char*, const char*> cases[] = {
      {R"({})", "settings.rules: is required (a list of rules)"},
      {R"({"rules": []})", "settings.rules: expected a non-empty list of rules"},
      {R"({"rules": [{"field": "A", "op": "=>", "value": 1, "weight": 1}]})",
       "settings.rules[0].op: unknown operator \"=>\" (use ==, !=, >, >=, <, <=, in, exists)"},
      {R"({"rules": [{"field": "A", "op": ">", "value": "x", "weight": 1}]})",
       "settings.rules[0].value: expected a number for op \">\""},
      {R"({"rules": [{"field": "A", "op": "exists", "weight": "high"}]})",
       "settings.rules[0].weight: expected a number"},
      {R"({"rules": [{"field": "A", "op": "exists", "weight": 1},
                     {"field": "A", "op": "exists", "weight": 2}]})",
       "settings.rules[1].name: duplicate rule name \"A exists\" (names must be unique)"},
      {R"({"rules": [{"field": "A", "op": "exists", "weight": 1}], "scale": 2})",
       "settings.scale: unknown key (allowed: base, rules)"},
  };
  for (const auto& [settings, message] : cases) {
    PluginUnderTest p(scorer(), host, settings);
    EXPECT_EQ(p.create_status, REOS_INVALID) << settings;
    EXPECT_EQ(p.create_call.message, message) << settings;
  }
}

TEST(RulesScorerCpp, MalformedOrNonObjectFeaturesAreInvalid) {
  FakeHost host;
  PluginUnderTest p(scorer(), host, kSettings);
  reos_status status;
  reos_call call = p.score(R"({"BedroomsTotal": )", &status);
  EXPECT_EQ(status, REOS_INVALID);
  EXPECT_EQ(call.message->rfind("input is not valid JSON: ", 0), 0u) << *call.message;
  EXPECT_FALSE(call.output);
  call = p.score("[]", &status);
  EXPECT_EQ(status, REOS_INVALID);
  EXPECT_EQ(call.message, "input must be a JSON object, got array");
}
