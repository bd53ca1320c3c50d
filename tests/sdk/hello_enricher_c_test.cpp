// The hello_enricher_c example plugin (plain C99), through the C ABI as the host calls it.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "fake_host.hpp"

using nlohmann::json;
using sdk_test::FakeHost;
using sdk_test::LoadedPlugin;
using sdk_test::PluginUnderTest;

namespace {

const LoadedPlugin& enricher() {
  static const LoadedPlugin plugin(HELLO_ENRICHER_C_PATH);
  return plugin;
}

}  // namespace

TEST(HelloEnricherC, DeclaresTheEnricherKindAndASchemaThatIsJson) {
  const reos_plugin_descriptor& d = enricher().descriptor();
  EXPECT_EQ(d.magic, REOS_PLUGIN_MAGIC);
  EXPECT_STREQ(d.name, "hello_enricher_c");
  EXPECT_EQ(d.kinds, REOS_KIND_ENRICHER);
  EXPECT_NE(d.enrich, nullptr);
  EXPECT_EQ(d.score, nullptr);
  EXPECT_EQ(json::parse(d.settings_schema)["additionalProperties"], false);
}

TEST(HelloEnricherC, AddsPricePerSqftAndKeepsEveryOtherField) {
  FakeHost host;
  PluginUnderTest p(enricher(), host, "{}");
  ASSERT_EQ(p.create_status, REOS_OK);
  reos_status status;
  reos_call call = p.enrich(
      R"( {"ListingKey":"A1","ListPrice":500000,"LivingArea":2000,"Media":[{"u":"}"}]} )", &status);
  ASSERT_EQ(status, REOS_OK) << call.message.value_or("");
  EXPECT_EQ(json::parse(*call.output), json::parse(R"({"ListingKey":"A1","ListPrice":500000,
      "LivingArea":2000,"Media":[{"u":"}"}],"price_per_sqft":250.00})"));
}

TEST(HelloEnricherC, RoundsToCentsWhateverTheNumberSyntax) {
  FakeHost host;
  PluginUnderTest p(enricher(), host, "{}");
  reos_status status;
  reos_call call = p.enrich(R"({"ListPrice":1e5,"LivingArea":3.0E0})", &status);
  ASSERT_EQ(status, REOS_OK);
  EXPECT_DOUBLE_EQ(json::parse(*call.output)["price_per_sqft"].get<double>(), 33333.33);
}

TEST(HelloEnricherC, UsesTheFieldNameFromSettings) {
  FakeHost host;
  PluginUnderTest p(enricher(), host, R"({"field":"ppsf"})");
  ASSERT_EQ(p.create_status, REOS_OK);
  reos_status status;
  reos_call call = p.enrich(R"({"ListPrice":300,"LivingArea":2})", &status);
  EXPECT_EQ(json::parse(*call.output)["ppsf"], 150.0);
}

TEST(HelloEnricherC, PassesRecordsThroughUnchangedWhenThereIsNothingToAdd) {
  FakeHost host;
  PluginUnderTest p(enricher(), host, "{}");
  reos_status status;
  for (const char* record : {R"({})", R"({"ListPrice":1})", R"({"ListPrice":1,"LivingArea":0})",
                             R"({"ListPrice":"1","LivingArea":2})",
                             R"({"ListPrice":10,"LivingArea":2,"price_per_sqft":9})"}) {
    reos_call call = p.enrich(record, &status);
    EXPECT_EQ(status, REOS_OK) << record;
    EXPECT_EQ(call.output, record);
  }
}

TEST(HelloEnricherC, DropsRecordsWithoutListingKeyOnlyWhenAsked) {
  FakeHost host;
  reos_status status;
  PluginUnderTest keep(enricher(), host, "{}");
  EXPECT_TRUE(keep.enrich(R"({"ListPrice":1})", &status).output);
  PluginUnderTest drop(enricher(), host, R"({"drop_without_listing_key": true})");
  ASSERT_EQ(drop.create_status, REOS_OK);
  for (const char* record :
       {R"({"ListPrice":1})", R"({"ListingKey":null})", R"({"ListingKey":""})"}) {
    reos_call call = drop.enrich(record, &status);
    EXPECT_EQ(status, REOS_OK);
    EXPECT_FALSE(call.output) << record;
  }
  EXPECT_EQ(host.counters["hello_enricher_c_dropped"], 3);
  EXPECT_TRUE(drop.enrich(R"({"ListingKey":"K"})", &status).output);
}

TEST(HelloEnricherC, InputThatIsNotAJsonObjectIsInvalid) {
  FakeHost host;
  PluginUnderTest p(enricher(), host, "{}");
  reos_status status;
  std::string deep(200, '[');
  for (const std::string& record :
       {std::string("[1,2]"), std::string("\"text\""), std::string(""), std::string("{\"a\":}"),
        std::string("{\"a\":1} {}"), std::string("{\"a\":01}"), std::string("{\"a\":\"\x01\"}"),
        std::string("{\"a\":tru}"), std::string("{\"a\":1,}"), "{\"a\":" + deep + "}"}) {
    reos_call call = p.enrich(record, &status);
    EXPECT_EQ(status, REOS_INVALID) << record;
    EXPECT_EQ(call.message->rfind("input is not a JSON object: ", 0), 0u) << *call.message;
    EXPECT_FALSE(call.output);
  }
}

TEST(HelloEnricherC, BadSettingsAreInvalid) {
  FakeHost host;
  for (const char* settings : {R"({"field":"price per sqft"})", R"({"colour":"red"})",
                               R"({"drop_without_listing_key":"yes"})", "[]"}) {
    PluginUnderTest p(enricher(), host, settings);
    EXPECT_EQ(p.create_status, REOS_INVALID) << settings;
    EXPECT_TRUE(p.create_call.message) << settings;
  }
}
