// Pipelines in tenant config: the demo and a full example load; each kind of mistake is reported
// as `file:line:col: key.path: message`, with predicate and schedule errors placed inside the
// scalar that holds them.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "config/tenant_config.hpp"

namespace reos::pipeline {
namespace {

using Lines = std::vector<std::string>;

std::string fixture(const std::string& relative) {
  return std::string(REOS_SOURCE_DIR) + "/tests/pipeline/fixtures/" + relative;
}

const char* no_env(const char*) {
  return nullptr;
}

config::TenantLoadResult load(const std::string& path) {
  return config::load_tenant_files({path}, &no_env);
}

Lines errors_of(const std::string& name) {
  Lines lines;
  const config::TenantLoadResult result = load(fixture("bad/" + name));
  for (const config::ConfigError& error : result.errors_by_file.at(0)) {
    lines.push_back(error.to_string());
  }
  return lines;
}

std::string at(const std::string& name) {
  return fixture("bad/" + name) + ":";
}

TEST(PipelineConfig, DemoTenantLoadsWithItsPipeline) {
  const config::TenantLoadResult result =
      load(std::string(REOS_SOURCE_DIR) + "/config/demo/tenants/demo.yaml");
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(result.errors_by_file);
  ASSERT_EQ(result.tenants.size(), 1u);
  const auto& pipelines = result.tenants[0].pipelines;
  ASSERT_EQ(pipelines.size(), 1u);
  const PipelineConfig& listings = pipelines[0];
  EXPECT_EQ(listings.id, "listings");
  EXPECT_EQ(listings.record_type, "property");
  ASSERT_EQ(listings.sources.size(), 1u);
  EXPECT_EQ(listings.sources[0].connector, "kc-sales");
  EXPECT_EQ(listings.sources[0].schedule.interval(), std::chrono::hours(4));
  EXPECT_EQ(listings.stages.score, "rules-scorer");
  ASSERT_EQ(listings.routes.size(), 1u);
  const PipelineRoute& alert = listings.routes[0];
  EXPECT_EQ(alert.to.at(0).kind, RouteTarget::Kind::kNotifier);
  EXPECT_EQ(alert.to.at(0).name, "outbox-email");
  EXPECT_EQ(alert.to.at(0).template_name, "cheap_listing");
  EXPECT_TRUE(
      alert.predicate.matches(std::string_view(R"({"ListPrice":250000,"BedroomsTotal":3})")));
  EXPECT_FALSE(
      alert.predicate.matches(std::string_view(R"({"ListPrice":350000,"BedroomsTotal":3})")));
}

TEST(PipelineConfig, ExampleTenantLoads) {
  const config::TenantLoadResult result =
      load(std::string(REOS_SOURCE_DIR) + "/config/tenants/example.yaml");
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(result.errors_by_file);
  ASSERT_EQ(result.tenants.at(0).pipelines.size(), 1u);
  EXPECT_FALSE(result.tenants[0].pipelines[0].enabled);
  EXPECT_EQ(result.tenants[0].pipelines[0].routes.at(0).to.at(0).name, "cma.generate");
}

TEST(PipelineConfig, EveryFeatureOfTheFullExampleIsRead) {
  const config::TenantLoadResult result = load(fixture("good/full.yaml"));
  ASSERT_TRUE(result.ok()) << ::testing::PrintToString(result.errors_by_file);
  const auto& pipelines = result.tenants.at(0).pipelines;
  ASSERT_EQ(pipelines.size(), 2u);
  const PipelineConfig& listings = pipelines[0];
  EXPECT_TRUE(listings.enabled);
  EXPECT_FALSE(pipelines[1].enabled);
  EXPECT_FALSE(listings.sources.at(1).schedule.is_interval());
  EXPECT_EQ(listings.stages.normalize_field_map, "connectors/mls/kc_csv.yaml");
  EXPECT_EQ(listings.stages.enrich, (std::vector<std::string>{"census-vendor", "assessor-vendor"}));
  ASSERT_EQ(listings.routes.size(), 3u);
  EXPECT_EQ(listings.routes[0].predicate.to_string(),
            "(ListPrice < 500000 and StandardStatus == \"Active\" and City in [\"Seattle\", "
            "\"Kent\"])");
  const auto& crm = listings.routes[1].to;
  ASSERT_EQ(crm.size(), 2u);
  EXPECT_EQ(crm[0].kind, RouteTarget::Kind::kExporter);
  EXPECT_EQ(crm[1].kind, RouteTarget::Kind::kJob);
  EXPECT_EQ(crm[1].name, "cma.generate");
  EXPECT_EQ(crm[1].with_json, R"({"radius_km":2})");
  EXPECT_EQ(listings.routes[2].when, "");
  EXPECT_TRUE(listings.routes[2].predicate.matches(std::string_view("{}"))) << "no when: all";
}

TEST(PipelineConfig, BadPredicateIsPlacedInsideTheScalar) {
  const std::string f = at("bad_predicate.yaml");
  EXPECT_EQ(errors_of("bad_predicate.yaml"),
            (Lines{f + "13:25: pipelines[0].routes[0].when: unknown operator '=<' (use '<=') at "
                       "column 11 of the predicate",
                   f + "16:59: pipelines[0].routes[1].when: expected a condition after 'and' at "
                       "column 42 of the predicate",
                   f + "19:44: pipelines[0].routes[2].when: expected a value after '<' at column "
                       "27 of the predicate",
                   f + "25:31: pipelines[0].routes[3].when: expected ',' or ']' in the list but "
                       "found \"Seattle\" at column 40 of the predicate"}));
}

TEST(PipelineConfig, UnknownConnectorReferenceNamesTheKnownOnes) {
  const std::string f = at("unknown_connector.yaml");
  const std::string known = " (this tenant's connectors: kc-sales, outbox-email)";
  EXPECT_EQ(
      errors_of("unknown_connector.yaml"),
      (Lines{f + "10:22: pipelines[0].sources[0].connector: unknown connector 'kc-salez'" + known,
             f + "12:26: pipelines[0].stages.enrich[1]: unknown connector 'census-vendor'" + known,
             f + "13:14: pipelines[0].stages.score: unknown connector 'rules-scorer'" + known,
             f +
                 "16:26: pipelines[0].routes[0].to[0].notifier: unknown connector "
                 "'outbox-emial'" +
                 known,
             f +
                 "16:54: pipelines[0].routes[0].to[1].exporter: unknown connector "
                 "'crm-export'" +
                 known}));
}

TEST(PipelineConfig, BadScheduleIsPlacedAtTheOffendingPart) {
  const std::string f = at("bad_schedule.yaml");
  EXPECT_EQ(errors_of("bad_schedule.yaml"),
            (Lines{f + "11:50: pipelines[0].sources[0].schedule: unknown unit 'x' in interval "
                       "(use s, m, h or d)",
                   f + "13:31: pipelines[0].sources[1].schedule: unknown day-of-week 'fry' (use "
                       "sun-sat or a number)",
                   f + "15:20: pipelines[0].sources[2].schedule: minute 61 is out of range "
                       "(0-59)"}));
}

TEST(PipelineConfig, DuplicatePipelineId) {
  EXPECT_EQ(errors_of("duplicate_pipeline_id.yaml"),
            Lines{at("duplicate_pipeline_id.yaml") +
                  "9:9: pipelines[1].id: duplicate pipeline id 'listings' (first defined at line "
                  "6)"});
}

TEST(PipelineConfig, ShapeErrorsFromSchemaAndLoaderTogether) {
  const std::string f = at("shape.yaml");
  EXPECT_EQ(errors_of("shape.yaml"),
            (Lines{f + "8:18: pipelines[0].record_type: must be one of: property, contact, event, "
                       "message; got \"house\"",
                   f + "9:14: pipelines[0].sources: a pipeline needs at least one source",
                   f + "12:14: pipelines[0].routes[0].to[0]: a target names exactly one of "
                       "notifier, exporter or job (found 2)",
                   f + "13:13: pipelines[0].routes[1].id: duplicate route id 'r1' in this "
                       "pipeline (first defined at line 11)",
                   f + "14:21: pipelines[0].routes[1].to[0].job: must be a job name such as "
                       "cma.generate or nurture.start; got \"cma\"",
                   f + "16:35: pipelines[0].routes[2].to[0].template: 'template' applies to "
                       "notifier targets only",
                   f + "18:13: pipelines[0].routes[3].to: a route needs at least one target"}));
}

}  // namespace
}  // namespace reos::pipeline
