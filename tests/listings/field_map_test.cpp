// Field maps: the declarative normalize stage, and connectors/mls/kc_csv.yaml on the first 50
// rows of the King County sales file (tests/listings/fixtures/kc_head.csv, as file_feed
// emits them: every value a string).
#include "listings/field_map.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

namespace reos::listings {
namespace {

using nlohmann::json;
using pipeline::RecordJson;

const std::string kMap = REOS_SOURCE_DIR "/connectors/mls/kc_csv.yaml";

json mapped(const FieldMap& map, const json& raw) {
  const Normalized n = map.apply(RecordJson::parse(raw.dump()));
  EXPECT_TRUE(n.ok) << n.reason;
  return n.record.value();
}

std::string refusal(const FieldMap& map, const json& raw) {
  const Normalized n = map.apply(RecordJson::parse(raw.dump()));
  EXPECT_FALSE(n.ok);
  return n.reason;
}

json kc_row() {
  return {{"id", "7237550310"},    {"date", "20140512T000000"},
          {"price", "1.225e+006"}, {"bedrooms", "4"},
          {"bathrooms", "4.5"},    {"sqft_living", "5420"},
          {"sqft_lot", "101930"},  {"floors", "1"},
          {"waterfront", "0"},     {"view", "0"},
          {"condition", "3"},      {"grade", "11"},
          {"sqft_above", "3890"},  {"sqft_basement", "1530"},
          {"yr_built", "2001"},    {"yr_renovated", "0"},
          {"zipcode", "98053"},    {"lat", "47.6561"},
          {"long", "-122.005"},    {"sqft_living15", "4760"},
          {"sqft_lot15", "101930"}};
}

TEST(KcFieldMap, MapsASaleToACanonicalProperty) {
  const FieldMap map = FieldMap::load(kMap);
  const json p = mapped(map, kc_row());
  EXPECT_EQ(p["ListingKey"], "7237550310-2014-05-12");
  EXPECT_EQ(p["ListingId"], "7237550310");
  EXPECT_EQ(p["StandardStatus"], "Closed");
  EXPECT_EQ(p["ClosePrice"], 1225000);
  EXPECT_TRUE(p["ClosePrice"].is_number_integer());
  EXPECT_EQ(p["ListPrice"], 1225000);
  EXPECT_EQ(p["CloseDate"], "2014-05-12");
  EXPECT_EQ(p["ModificationTimestamp"], "2014-05-12T00:00:00Z");
  EXPECT_EQ(p["BedroomsTotal"], 4);
  EXPECT_EQ(p["BathroomsTotalInteger"], 4);
  EXPECT_EQ(p["X_BathroomsDecimal"], 4.5);
  EXPECT_EQ(p["PostalCode"], "98053");
  EXPECT_EQ(p["City"], "Redmond");
  EXPECT_EQ(p["StateOrProvince"], "WA");
  EXPECT_EQ(p["Latitude"], 47.6561);
  EXPECT_EQ(p["Longitude"], -122.005);
  EXPECT_EQ(p["X_Waterfront"], false);
  EXPECT_EQ(p["YearBuilt"], 2001);
  EXPECT_FALSE(p.contains("X_YearRenovated"));  // "0" = never renovated → omitted
  json renovated = kc_row();
  renovated["yr_renovated"] = "1991";
  EXPECT_EQ(mapped(map, renovated)["X_YearRenovated"], 1991);
}

TEST(KcFieldMap, BadRowsAreRefusedWithTheReason) {
  const FieldMap map = FieldMap::load(kMap);
  json r = kc_row();
  r["price"] = "12O000";
  EXPECT_EQ(refusal(map, r), "ClosePrice: '12O000' is not a number");
  r = kc_row();
  r["date"] = "20140231T000000";
  EXPECT_EQ(refusal(map, r), "ListingKey: date: '20140231T000000' is not a calendar date");
  r = kc_row();
  r.erase("zipcode");
  EXPECT_EQ(refusal(map, r), "PostalCode: missing (source field 'zipcode')");
  EXPECT_EQ(refusal(map, {{"_malformed", "expected 21 columns, found 3"}, {"_line", 9}}),
            "malformed source row at line 9: expected 21 columns, found 3");
}

TEST(KcFieldMap, FixtureRowsAllMapWithDistinctKeys) {
  const FieldMap map = FieldMap::load(kMap);
  std::ifstream in(REOS_SOURCE_DIR "/tests/listings/fixtures/kc_head.csv");
  std::string line;
  std::getline(in, line);
  std::set<std::string> keys;
  int rows = 0;
  while (std::getline(in, line)) {
    // The fixture has no commas inside quotes: a plain split suffices here.
    std::vector<std::string> cells;
    std::string cell;
    for (char c : line + ",") {
      if (c == ',') {
        if (cell.size() >= 2 && cell.front() == '"') cell = cell.substr(1, cell.size() - 2);
        cells.push_back(cell);
        cell.clear();
      } else {
        cell.push_back(c);
      }
    }
    const json row = mapped(map, json{{"id", cells[0]},
                                      {"date", cells[1]},
                                      {"price", cells[2]},
                                      {"zipcode", cells[16]},
                                      {"lat", cells[17]},
                                      {"long", cells[18]}});
    keys.insert(row["ListingKey"].get<std::string>());
    EXPECT_TRUE(row["ClosePrice"].is_number_integer()) << line;
    ++rows;
  }
  EXPECT_EQ(rows, 50);
  EXPECT_EQ(keys.size(), 50u);
}

TEST(FieldMapSpec, LookupsConstantsAndJoins) {
  const FieldMap map = FieldMap::parse(R"(
fields:
  Key: { from: [a, { from: d, type: date }], join: "/", required: true }
  Status: { from: s, lookup: { A: Active, S: Closed } }
  Pool: { from: p, type: boolean }
  Fixed: { value: 7 }
)",
                                       "inline.yaml");
  EXPECT_EQ(map.size(), 4u);
  const json p = mapped(map, {{"a", "x"}, {"d", "20150101"}, {"s", "A"}, {"p", "yes"}});
  EXPECT_EQ(p, (json{{"Key", "x/2015-01-01"}, {"Status", "Active"}, {"Pool", true}, {"Fixed", 7}}));
  // A value not in the lookup and no lookup_default: converted by type (string here).
  EXPECT_EQ(mapped(map, {{"a", "x"}, {"d", "20150101"}, {"s", "Q"}})["Status"], "Q");
  // Blank and null source values are missing: optional fields are omitted.
  EXPECT_EQ(mapped(map, {{"a", "x"}, {"d", "20150101"}, {"s", " "}, {"p", nullptr}}),
            (json{{"Key", "x/2015-01-01"}, {"Fixed", 7}}));
  EXPECT_EQ(refusal(map, {{"a", "x"}}), "Key: missing (source field 'a')");
}

TEST(FieldMapSpec, ErrorsNameFileLineAndField) {
  try {
    FieldMap::parse("fields:\n  A: { from: x, type: money }\n", "m.yaml");
    FAIL() << "expected FieldMapError";
  } catch (const FieldMapError& e) {
    EXPECT_EQ(std::string(e.what()),
              "m.yaml:2:23: fields.A.type: unknown type 'money' (use string, integer, number, "
              "date, timestamp, boolean or json)");
  }
  EXPECT_THROW(FieldMap::parse("fields:\n  A: { frm: x }\n", "m.yaml"), FieldMapError);
  EXPECT_THROW(FieldMap::parse("fields:\n  A: { from: x, value: 1 }\n", "m.yaml"), FieldMapError);
  EXPECT_THROW(FieldMap::parse("nope: 1\n", "m.yaml"), FieldMapError);
  EXPECT_THROW(FieldMap::load("/nonexistent.yaml"), FieldMapError);
}

TEST(FieldMapSpec, ResolvesRelativePathsFromTheTenantFileUpwards) {
  const std::string tenant = REOS_SOURCE_DIR "/config/demo/tenants/demo.yaml";
  const std::string found = resolve_field_map_path("connectors/mls/kc_csv.yaml", tenant);
  EXPECT_NE(found.find("/connectors/mls/kc_csv.yaml"), std::string::npos);
  EXPECT_EQ(cached_field_map("connectors/mls/kc_csv.yaml", tenant).size(),
            FieldMap::load(kMap).size());
  EXPECT_EQ(resolve_field_map_path("connectors/nope.yaml", tenant), "");
  EXPECT_THROW(cached_field_map("connectors/nope.yaml", tenant), FieldMapError);
}

}  // namespace
}  // namespace reos::listings
