// GET /api/v1/properties over real HTTP and real PostGIS: filters, radius and bounding box,
// sorts, cursor pages, the problem document, tenant isolation and access.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <set>

#include "property_fixtures.hpp"
#include "property_search/page_cursor.hpp"
#include "property_search/property_routes.hpp"
#include "support/api_harness.hpp"

namespace reos::property_search::test {
namespace {

using nlohmann::json;
using Keys = std::vector<std::string>;

class PropertySearchApi : public ::testing::Test {
 protected:
  PropertySearchApi()
      : h_([](http::Router& r, const api::ApiContext& api) {
          add_property_search_routes(r, api);
        }) {}

  json get_json(const std::string& path, const std::string& token, long status = 200) {
    const reos::test::ClientResponse r = h_.call("GET", path, token);
    EXPECT_EQ(r.status, status) << path << " " << r.body;
    return json::parse(r.body, nullptr, false);
  }
  json get_json(const std::string& path) { return get_json(path, alice()); }
  const std::string& alice() {
    if (alice_.empty()) alice_ = h_.token("alice@one.test");
    return alice_;
  }
  Keys keys(const std::string& query) {
    Keys k = keys_of(get_json("/api/v1/properties?" + query));
    std::sort(k.begin(), k.end());
    return k;
  }

  reos::test::ApiHarness h_;
  std::string alice_;
};

std::set<std::string> invalid_names(const json& problem) {
  std::set<std::string> names;
  for (const json& p : problem.value("invalid_params", json::array())) {
    names.insert(p.at("name").get<std::string>());
  }
  return names;
}

TEST_F(PropertySearchApi, EachFilterSelectsExactlyItsListings) {
  Listing a{"t-one", "A"};
  Listing b{"t-one", "B", "Pending", 450000, 4, 2.5, "Bellevue", "98004"};
  Listing c{"t-one", "C", "Closed", 150000, 1, 1, "seattle", "98103"};
  Listing d{"t-one", "D", "Active", std::nullopt, std::nullopt, std::nullopt, "Tacoma", "98402"};
  Listing gone{"t-one", "GONE"};
  gone.gone = true;
  insert_listings(h_.conninfo(), {a, b, c, d, gone});

  EXPECT_EQ(keys(""), (Keys{"A", "B", "C", "D"}));
  EXPECT_EQ(keys("include_gone=true"), (Keys{"A", "B", "C", "D", "GONE"}));
  EXPECT_EQ(keys("status=Active"), (Keys{"A", "D"}));
  EXPECT_EQ(keys("status=Pending,Closed"), (Keys{"B", "C"}));
  EXPECT_EQ(keys("min_price=300000"), (Keys{"A", "B"}));
  EXPECT_EQ(keys("max_price=300000"), (Keys{"A", "C"}));
  EXPECT_EQ(keys("min_price=200000&max_price=400000"), (Keys{"A"}));
  EXPECT_EQ(keys("beds=3"), (Keys{"A", "B"}));
  EXPECT_EQ(keys("baths=2.5"), (Keys{"B"}));
  EXPECT_EQ(keys("city=SEATTLE"), (Keys{"A", "C"}));
  EXPECT_EQ(keys("postal_code=98004"), (Keys{"B"}));
  EXPECT_EQ(keys("city=Seattle&beds=2"), (Keys{"A"}));
}

TEST_F(PropertySearchApi, ItemsCarryTheSummaryFields) {
  Listing a{"t-one",
            "K-1",
            "Active",
            325000.5,
            3,
            1.75,
            "Seattle",
            "98103",
            47.6062,
            -122.3321,
            "2025-03-04T05:06:07.123456Z"};
  insert_listings(h_.conninfo(), {a});
  const json item = get_json("/api/v1/properties").at("items").at(0);
  EXPECT_EQ(item.at("listing_key"), "K-1");
  EXPECT_EQ(item.at("standard_status"), "Active");
  EXPECT_DOUBLE_EQ(item.at("list_price").get<double>(), 325000.5);
  EXPECT_EQ(item.at("bedrooms_total"), 3);
  EXPECT_DOUBLE_EQ(item.at("bathrooms_total").get<double>(), 1.75);
  EXPECT_NEAR(item.at("latitude").get<double>(), 47.6062, 1e-9);
  EXPECT_NEAR(item.at("longitude").get<double>(), -122.3321, 1e-9);
  EXPECT_EQ(item.at("modification_timestamp"), "2025-03-04T05:06:07.123456Z");
  EXPECT_EQ(item.at("unparsed_address"), "1 K-1 St");
  EXPECT_TRUE(item.at("gone_at").is_null());
  EXPECT_TRUE(item.at("close_price").is_null());
}

// At 47.6° N a degree of latitude is about 111.2 km: 0.0081° ≈ 900 m, 0.0099° ≈ 1100 m.
TEST_F(PropertySearchApi, RadiusKeepsListingsWithinTheDistance) {
  Listing centre{"t-one", "CENTRE"};
  centre.lat = 47.6;
  centre.lng = -122.3;
  Listing near = centre, far = centre, east = centre, nowhere = centre;
  near.key = "NEAR";
  near.lat = 47.6081;
  far.key = "FAR";
  far.lat = 47.6099;
  east.key = "EAST";  // 0.0125° of longitude at 47.6° ≈ 940 m
  east.lng = -122.2875;
  nowhere.key = "NO-GEO";
  nowhere.lat = std::nullopt;
  nowhere.lng = std::nullopt;
  insert_listings(h_.conninfo(), {centre, near, far, east, nowhere});
  EXPECT_EQ(keys("lat=47.6&lng=-122.3&radius_m=1000"), (Keys{"CENTRE", "EAST", "NEAR"}));
  EXPECT_EQ(keys("lat=47.6&lng=-122.3&radius_m=920"), (Keys{"CENTRE", "NEAR"}));
  EXPECT_EQ(keys("lat=47.6&lng=-122.3&radius_m=1200"), (Keys{"CENTRE", "EAST", "FAR", "NEAR"}));
  EXPECT_EQ(keys("lat=47.6&lng=-122.3&radius_m=0"), (Keys{"CENTRE"}));
}

// The radius search narrows its candidates with a longitude/latitude rectangle around the
// circle (property_sql.cpp). Listings on a ring just inside the radius, at every bearing, must
// all be found, and a ring just outside none: at a high latitude (where the circle's widest
// longitude is not at the centre's latitude), across the antimeridian, and around a pole,
// where no rectangle holds the circle. The ring is computed here with the spherical
// destination-point formula, not with the code under test.
TEST_F(PropertySearchApi, RadiusFindsTheWholeCircleAtHighLatitudesTheAntimeridianAndThePoles) {
  constexpr double kPi = 3.14159265358979323846;
  constexpr double kEarthRadiusM = 6371008.8;
  struct Case {
    double lat, lng, radius_m;
  };
  const std::vector<Case> cases = {{70, 20, 50000}, {0.1, 179.9, 30000}, {89.9, 0, 30000}};
  for (std::size_t c = 0; c < cases.size(); ++c) {
    const Case& k = cases[c];
    std::vector<Listing> rows;
    Keys inside;
    for (int bearing_deg = 0; bearing_deg < 360; bearing_deg += 15) {
      for (const double factor : {0.995, 1.005}) {
        const double d = k.radius_m * factor / kEarthRadiusM;
        const double b = bearing_deg * kPi / 180, p1 = k.lat * kPi / 180;
        const double p2 =
            std::asin(std::sin(p1) * std::cos(d) + std::cos(p1) * std::sin(d) * std::cos(b));
        const double l2 = k.lng * kPi / 180 + std::atan2(std::sin(b) * std::sin(d) * std::cos(p1),
                                                         std::cos(d) - std::sin(p1) * std::sin(p2));
        Listing l{"t-one", "C" + std::to_string(c) + "-" + std::to_string(bearing_deg) +
                               (factor < 1 ? "-IN" : "-OUT")};
        l.lat = p2 * 180 / kPi;
        l.lng = std::remainder(l2 * 180 / kPi, 360.0);  // into [-180, 180]
        rows.push_back(l);
        if (factor < 1) inside.push_back(l.key);
      }
    }
    insert_listings(h_.conninfo(), rows);
    std::sort(inside.begin(), inside.end());
    char query[160];
    std::snprintf(query, sizeof query, "lat=%.6f&lng=%.6f&radius_m=%.0f&limit=100", k.lat, k.lng,
                  k.radius_m);
    EXPECT_EQ(keys(query), inside) << query;
  }
}

TEST_F(PropertySearchApi, BoundingBoxIsALongitudeLatitudeRectangle) {
  Listing in{"t-one", "IN"};
  in.lat = 47.5;
  in.lng = -122.0;
  Listing edge = in, west = in, north = in;
  edge.key = "EDGE";
  edge.lng = -122.5;  // on the west edge: included
  west.key = "WEST";
  west.lng = -122.6;
  north.key = "NORTH";
  north.lat = 48.01;
  insert_listings(h_.conninfo(), {in, edge, west, north});
  EXPECT_EQ(keys("bbox=-122.5,47,-121.5,48"), (Keys{"EDGE", "IN"}));
  EXPECT_EQ(keys("bbox=-123,47,-121,49"), (Keys{"EDGE", "IN", "NORTH", "WEST"}));
  EXPECT_EQ(keys("bbox=-122.55,47,-121.5,48&lat=47.5&lng=-122&radius_m=100"), (Keys{"IN"}));
}

// 230 listings with repeated and missing prices, read in pages of 50 by every sort: each
// listing exactly once, in the order the sort promises, NULL prices last.
TEST_F(PropertySearchApi, CursorPagesCoverEveryListingOnceInOrder) {
  std::vector<Listing> rows;
  for (int i = 0; i < 230; ++i) {
    Listing l{"t-one", "L" + std::to_string(1000 + i)};
    if (i % 7 == 0) {
      l.price = std::nullopt;
    } else {
      l.price = 100000 + (i % 13) * 25000;  // many ties: the key breaks them
    }
    l.modified = i % 11 == 0 ? "" : "2025-02-" + std::to_string(10 + i % 9) + "T00:00:00Z";
    rows.push_back(l);
  }
  insert_listings(h_.conninfo(), rows);
  for (const std::string sort :
       {"price", "-price", "modified", "-modified", "listing_key", "-listing_key"}) {
    std::vector<json> items;
    std::string cursor;
    int pages = 0;
    do {
      const json page = get_json("/api/v1/properties?limit=50&sort=" + sort +
                                 (cursor.empty() ? "" : "&cursor=" + cursor));
      for (const json& item : page.at("items")) items.push_back(item);
      cursor = page.at("next_cursor").is_null() ? "" : page.at("next_cursor").get<std::string>();
      ++pages;
    } while (!cursor.empty() && pages < 20);
    EXPECT_EQ(pages, 5) << sort;
    std::set<std::string> unique;
    for (const json& item : items) unique.insert(item.at("listing_key").get<std::string>());
    EXPECT_EQ(items.size(), 230u) << sort;
    EXPECT_EQ(unique.size(), 230u) << sort;
    const bool desc = sort[0] == '-';
    const std::string field = sort == "price" || sort == "-price"         ? "list_price"
                              : sort == "modified" || sort == "-modified" ? "modification_timestamp"
                                                                          : "listing_key";
    for (std::size_t i = 1; i < items.size(); ++i) {
      const json& a = items[i - 1].at(field);
      const json& b = items[i].at(field);
      const std::string ka = items[i - 1].at("listing_key"), kb = items[i].at("listing_key");
      if (a.is_null()) {
        ASSERT_TRUE(b.is_null()) << sort << ": a NULL before a value at " << i;
        ASSERT_TRUE(desc ? ka > kb : ka < kb) << sort << " at " << i;
      } else if (!b.is_null()) {
        ASSERT_TRUE(desc ? a >= b : a <= b) << sort << " at " << i;
        if (a == b) {
          ASSERT_TRUE(desc ? ka > kb : ka < kb) << sort << " at " << i;
        }
      }
    }
  }
}

// Listings inserted while a client pages through appear at most once and never push an
// already-listed one into a later page (keyset, not offset).
TEST_F(PropertySearchApi, PagesStayStableWhenListingsAreInserted) {
  std::vector<Listing> rows;
  for (int i = 0; i < 120; ++i) {
    Listing l{"t-one", "S" + std::to_string(100 + i)};
    l.price = 200000 + i * 1000;
    rows.push_back(l);
  }
  insert_listings(h_.conninfo(), rows);
  std::vector<std::string> seen;
  std::string cursor;
  int round = 0;
  do {
    const json page = get_json("/api/v1/properties?limit=40&sort=price" +
                               (cursor.empty() ? "" : "&cursor=" + cursor));
    for (const std::string& k : keys_of(page)) seen.push_back(k);
    cursor = page.at("next_cursor").is_null() ? "" : page.at("next_cursor").get<std::string>();
    // Before the next page: one cheaper listing (lands on an earlier page) and one dearer.
    Listing cheap{"t-one", "NEW-CHEAP-" + std::to_string(round)};
    cheap.price = 1000 + round;
    Listing dear{"t-one", "NEW-DEAR-" + std::to_string(round)};
    dear.price = 900000 + round;
    insert_listings(h_.conninfo(), {cheap, dear});
    ++round;
  } while (!cursor.empty() && round < 20);
  const std::set<std::string> unique(seen.begin(), seen.end());
  EXPECT_EQ(unique.size(), seen.size()) << "a listing was served twice";
  for (const Listing& l : rows) EXPECT_EQ(unique.count(l.key), 1u) << l.key;
  for (const std::string& k : seen) EXPECT_EQ(k.rfind("NEW-CHEAP", 0), std::string::npos) << k;
  EXPECT_GE(std::count_if(seen.begin(), seen.end(),
                          [](const std::string& k) { return k.rfind("NEW-DEAR", 0) == 0; }),
            1);
}

TEST_F(PropertySearchApi, BadQueriesAnswerOneProblemNamingEveryParameter) {
  const reos::test::ClientResponse r = h_.call(
      "GET",
      "/api/v1/"
      "properties?status=Sold&min_price=x&lat=95&lng=0&radius_m=10&sort=size&limit=500&page=2",
      alice());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.header("content-type"), "application/problem+json");
  EXPECT_EQ(invalid_names(json::parse(r.body)),
            (std::set<std::string>{"query.status", "query.min_price", "query.lat", "query.sort",
                                   "query.limit", "query.page"}));
  const json forged =
      get_json("/api/v1/properties?sort=-modified&cursor=" +
                   encode_cursor({std::string("-modified"), std::string("2025-13-40T00:00:00Z"),
                                  std::string("K")}),  // the right shape, but month 13
               alice(), 400);
  EXPECT_EQ(invalid_names(forged), (std::set<std::string>{"query.cursor"}));
}

TEST_F(PropertySearchApi, OneListingWithItsRecordAndHistory) {
  insert_listings(h_.conninfo(), {Listing{"t-one", "ONE/1"}, Listing{"t-two", "TWO-1"}});
  {
    pqxx::connection conn(h_.conninfo());
    pqxx::work tx(conn);
    tx.exec(
        "INSERT INTO property_history (tenant_id, listing_key, change, old_value, new_value)"
        " VALUES ('t-one', 'ONE/1', 'price', '310000', '300000')");
    tx.commit();
  }
  const json one = get_json("/api/v1/properties/ONE%2F1");
  EXPECT_EQ(one.at("listing_key"), "ONE/1");
  EXPECT_EQ(one.at("record").at("ListingKey"), "ONE/1");
  ASSERT_EQ(one.at("history").size(), 1u);
  EXPECT_EQ(one.at("history")[0].at("change"), "price");
  EXPECT_EQ(one.at("history")[0].at("old_value"), "310000");
  // Another tenant's listing is as absent as one that never existed.
  const reos::test::ClientResponse other = h_.call("GET", "/api/v1/properties/TWO-1", alice());
  EXPECT_EQ(other.status, 404);
  EXPECT_EQ(other.header("content-type"), "application/problem+json");
  EXPECT_EQ(h_.call("GET", "/api/v1/properties/NOPE", alice()).status, 404);
}

TEST_F(PropertySearchApi, TenantsNeverSeeEachOthersListings) {
  insert_listings(h_.conninfo(), {Listing{"t-one", "ONE-A"}, Listing{"t-one", "ONE-B"},
                                  Listing{"t-two", "TWO-A"}});
  const std::string dave = h_.token("dave@two.test");
  EXPECT_EQ(keys_of(get_json("/api/v1/properties?sort=listing_key")), (Keys{"ONE-A", "ONE-B"}));
  EXPECT_EQ(keys_of(get_json("/api/v1/properties?sort=listing_key", dave)), (Keys{"TWO-A"}));
  EXPECT_EQ(h_.call("GET", "/api/v1/properties/ONE-A", dave).status, 404);
  const reos::test::ClientResponse csv = h_.call("GET", "/api/v1/properties.csv", dave);
  EXPECT_EQ(csv.status, 200);
  EXPECT_EQ(csv.body.find("ONE-"), std::string::npos) << csv.body;
  EXPECT_NE(csv.body.find("TWO-A"), std::string::npos) << csv.body;
}

TEST_F(PropertySearchApi, ViewersAndScopedKeysMayReadOthersMayNot) {
  insert_listings(h_.conninfo(), {Listing{"t-one", "V-1"}});
  EXPECT_EQ(h_.call("GET", "/api/v1/properties", h_.token("carol@one.test")).status, 200);
  EXPECT_EQ(h_.call("GET", "/api/v1/properties", "").status, 401);
  const std::string reader = h_.api_key("t-one", {"properties:read"}, "viewer");
  const std::string other = h_.api_key("t-one", {"contacts:read"}, "viewer");
  EXPECT_EQ(keys_of(get_json("/api/v1/properties", reader)), (Keys{"V-1"}));
  EXPECT_EQ(h_.call("GET", "/api/v1/properties", other).status, 403);
}

}  // namespace
}  // namespace reos::property_search::test
