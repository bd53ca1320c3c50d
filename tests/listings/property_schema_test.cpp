// schemas/property.json is a valid JSON Schema, and what connectors/mls/kc_csv.yaml makes of
// every King County fixture row conforms to it.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include "listings/field_map.hpp"

namespace reos::listings {
namespace {

using nlohmann::json;

json read_json(const std::string& path) {
  std::ifstream in(path);
  return json::parse(in);
}

class PropertySchemaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    schema_doc_ = read_json(REOS_SOURCE_DIR "/schemas/property.json");
    valijson::SchemaParser parser;
    valijson::adapters::NlohmannJsonAdapter adapter(schema_doc_);
    parser.populateSchema(adapter, schema_);
  }

  bool valid(const json& record) {
    valijson::Validator validator;
    valijson::adapters::NlohmannJsonAdapter target(record);
    return validator.validate(schema_, target, nullptr);
  }

  json schema_doc_;
  valijson::Schema schema_;
};

TEST_F(PropertySchemaTest, KingCountyRowsMapToValidProperties) {
  const FieldMap map = FieldMap::load(REOS_SOURCE_DIR "/connectors/mls/kc_csv.yaml");
  std::ifstream in(REOS_SOURCE_DIR "/tests/listings/fixtures/kc_head.csv");
  std::string line;
  std::getline(in, line);
  std::vector<std::string> header;
  for (std::stringstream s(line); std::getline(s, line, ',');) header.push_back(line);
  int rows = 0;
  while (std::getline(in, line)) {
    json raw = json::object();
    std::size_t i = 0;
    // The fixture has no commas inside quotes: a plain split suffices.
    for (std::stringstream s(line); std::getline(s, line, ',') && i < header.size(); ++i) {
      if (line.size() >= 2 && line.front() == '"') line = line.substr(1, line.size() - 2);
      raw[header[i]] = line;
    }
    const Normalized n = map.apply(pipeline::RecordJson::parse(raw.dump()));
    ASSERT_TRUE(n.ok) << n.reason;
    EXPECT_TRUE(valid(n.record.value())) << n.record.dump();
    ++rows;
  }
  EXPECT_EQ(rows, 50);
}

TEST_F(PropertySchemaTest, RefusesWhatIsNotAProperty) {
  EXPECT_TRUE(valid({{"ListingKey", "A"}, {"StandardStatus", "Active"}, {"ListPrice", 1}}));
  EXPECT_FALSE(valid({{"ListPrice", 1}}));                                  // no ListingKey
  EXPECT_FALSE(valid({{"ListingKey", "A"}, {"StandardStatus", "Bogus"}}));  // not RESO
  EXPECT_FALSE(valid({{"ListingKey", "A"}, {"BedroomsTotal", 2.5}}));
  EXPECT_FALSE(valid({{"ListingKey", "A"}, {"Latitude", 91}}));
  EXPECT_FALSE(valid({{"ListingKey", "A"}, {"Media", {{{"Order", 1}}}}}));  // no MediaURL
}

// `type: json` Media: what the field map accepts conforms to the schema's Media items, and the
// kinds of item it refuses do not.
TEST_F(PropertySchemaTest, MediaTheFieldMapAcceptsIsValidAndWhatItRefusesIsNot) {
  const FieldMap map = FieldMap::load(REOS_SOURCE_DIR "/connectors/mls/reso_generic.yaml");
  auto record = [](const json& media) {
    return json{
        {"ListingKey", "L1"}, {"ModificationTimestamp", "2024-01-01T00:00:00Z"}, {"Media", media}};
  };
  const json good = json::array({{{"MediaKey", "k1"},
                                  {"MediaURL", "reos-blob:rets/P/Photo/L1/1"},
                                  {"Order", 1},
                                  {"MediaCategory", "Photo"},
                                  {"Width", 800}}});
  const Normalized n = map.apply(pipeline::RecordJson::parse(record(good).dump()));
  ASSERT_TRUE(n.ok) << n.reason;
  EXPECT_TRUE(valid(n.record.value())) << n.record.dump();
  for (const json& bad :
       {json::array({{{"Order", 1}}}), json::array({{{"MediaURL", 5}}}),
        json::array({{{"MediaURL", "https://p/1"}, {"Order", -1}}}),
        json::array({{{"MediaURL", "https://p/1"}, {"MediaKey", 5}}}), json::array({7})}) {
    EXPECT_FALSE(map.apply(pipeline::RecordJson::parse(record(bad).dump())).ok) << bad;
    EXPECT_FALSE(valid(record(bad))) << bad;
  }
}

}  // namespace
}  // namespace reos::listings
