// Parsing the search query: defaults, every filter, and one 400 naming every bad parameter.
#include "property_search/property_query.hpp"

#include <gtest/gtest.h>

#include <set>

#include "api/api_context.hpp"
#include "property_search/page_cursor.hpp"

namespace reos::property_search {
namespace {

std::set<std::string> bad_names(const std::string& query, bool csv = false) {
  try {
    parse_property_query(query, csv);
  } catch (const api::ApiError& e) {
    EXPECT_EQ(e.problem().status, 400);
    std::set<std::string> names;
    for (const auto& p : e.problem().invalid_params) names.insert(p.name);
    return names;
  }
  ADD_FAILURE() << "accepted: " << query;
  return {};
}

TEST(PropertyQuery, DefaultsAreNewestModifiedFirstFiftyPerPage) {
  const PropertyQuery q = parse_property_query("", false);
  EXPECT_EQ(q.sort, SortField::modified);
  EXPECT_TRUE(q.descending);
  EXPECT_EQ(q.limit, 50);
  EXPECT_FALSE(q.after);
  EXPECT_FALSE(q.include_gone);
  EXPECT_EQ(parse_property_query("", true).limit, kMaxCsvRows);
}

TEST(PropertyQuery, ReadsEveryFilter) {
  const PropertyQuery q = parse_property_query(
      "status=Active,Pending&min_price=100000&max_price=250000.50&beds=3&baths=1.75"
      "&city=Seattle&postal_code=98103&lat=47.6&lng=-122.33&radius_m=1500"
      "&bbox=-122.5,47.5,-122.2,47.8&sort=price&limit=200&include_gone=true",
      false);
  EXPECT_EQ(q.statuses, (std::vector<std::string>{"Active", "Pending"}));
  EXPECT_EQ(q.min_price, "100000");
  EXPECT_EQ(q.max_price, "250000.50");
  EXPECT_EQ(q.min_beds, 3);
  EXPECT_EQ(q.min_baths, "1.75");
  EXPECT_EQ(q.city, "Seattle");
  EXPECT_EQ(q.postal_code, "98103");
  ASSERT_TRUE(q.near);
  EXPECT_DOUBLE_EQ(q.near->lng, -122.33);
  EXPECT_DOUBLE_EQ(q.near->radius_m, 1500);
  ASSERT_TRUE(q.bbox);
  EXPECT_DOUBLE_EQ(q.bbox->max_lat, 47.8);
  EXPECT_EQ(q.sort, SortField::price);
  EXPECT_FALSE(q.descending);
  EXPECT_EQ(q.limit, 200);
  EXPECT_TRUE(q.include_gone);
  EXPECT_EQ(parse_property_query("status=Active%20Under%20Contract", false).statuses[0],
            "Active Under Contract");
}

TEST(PropertyQuery, EveryBadParameterIsNamedAtOnce) {
  EXPECT_EQ(
      bad_names("status=Sold&min_price=-1&max_price=abc&beds=x&baths=1.234&lat=91&lng=0"
                "&radius_m=5&bbox=1,2,3&sort=size&limit=201&cursor=zzz&include_gone=yes"
                "&colour=red"),
      (std::set<std::string>{"query.status", "query.min_price", "query.max_price", "query.beds",
                             "query.baths", "query.lat", "query.bbox", "query.sort", "query.limit",
                             "query.cursor", "query.include_gone", "query.colour"}));
}

TEST(PropertyQuery, RadiusNeedsAllThreeAndBoxNeedsOrder) {
  EXPECT_EQ(bad_names("lat=47.6&lng=-122.3"), (std::set<std::string>{"query.radius_m"}));
  EXPECT_EQ(bad_names("radius_m=100"), (std::set<std::string>{"query.lat", "query.lng"}));
  EXPECT_EQ(bad_names("lat=47&lng=-122&radius_m=100001"),
            (std::set<std::string>{"query.radius_m"}));
  EXPECT_EQ(bad_names("bbox=-122.2,47.5,-122.5,47.8"), (std::set<std::string>{"query.bbox"}));
  EXPECT_EQ(bad_names("min_price=300000&max_price=200000"),
            (std::set<std::string>{"query.max_price"}));
  EXPECT_EQ(bad_names("limit=0"), (std::set<std::string>{"query.limit"}));
  EXPECT_EQ(bad_names("limit=100001", true), (std::set<std::string>{"query.limit"}));
  EXPECT_EQ(parse_property_query("limit=100000", true).limit, 100000);
}

TEST(PropertyQuery, CursorMustBelongToTheSameSort) {
  const std::string price_cursor =
      encode_cursor({std::string("price"), std::string("100.00"), std::string("K1")});
  const PropertyQuery q = parse_property_query("sort=price&cursor=" + price_cursor, false);
  ASSERT_TRUE(q.after);
  EXPECT_EQ(q.after->value, "100.00");
  EXPECT_EQ(q.after->listing_key, "K1");
  EXPECT_EQ(bad_names("sort=-price&cursor=" + price_cursor),
            (std::set<std::string>{"query.cursor"}));
  const std::string forged =
      encode_cursor({std::string("price"), std::string("1; DROP"), std::string("K1")});
  EXPECT_EQ(bad_names("sort=price&cursor=" + forged), (std::set<std::string>{"query.cursor"}));
  const std::string null_value =
      encode_cursor({std::string("-modified"), std::nullopt, std::string("K9")});
  EXPECT_FALSE(parse_property_query("cursor=" + null_value, false).after->value);
}

}  // namespace
}  // namespace reos::property_search
