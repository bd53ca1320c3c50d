// The CSV export: RFC 4180 over real HTTP, the same filters as the JSON search, chunked
// reads past one internal chunk, and the continuation cursor when the limit cuts it short.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "property_fixtures.hpp"
#include "property_search/property_routes.hpp"
#include "support/api_harness.hpp"

namespace reos::property_search::test {
namespace {

std::vector<std::string> lines_of(const std::string& body) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < body.size()) {
    const std::size_t end = body.find("\r\n", start);
    if (end == std::string::npos) {
      lines.push_back(body.substr(start));
      break;
    }
    lines.push_back(body.substr(start, end - start));
    start = end + 2;
  }
  return lines;
}

class PropertyCsvApi : public ::testing::Test {
 protected:
  PropertyCsvApi()
      : h_([](http::Router& r, const api::ApiContext& api) { add_property_search_routes(r, api); }),
        token_(h_.token("bob@one.test")) {}
  reos::test::ApiHarness h_;
  std::string token_;
};

TEST_F(PropertyCsvApi, ExportsAHeaderAndQuotedRows) {
  Listing a{"t-one",
            "CSV-1",
            "Active",
            250000,
            2,
            1,
            "Seattle, WA",
            "98103",
            47.61,
            -122.33,
            "2025-05-06T07:08:09Z"};
  Listing b{"t-one",      "=CMD()",     "Pending",        std::nullopt,
            std::nullopt, std::nullopt, "He said \"hi\"", "98004"};
  insert_listings(h_.conninfo(), {a, b});
  const reos::test::ClientResponse r =
      h_.call("GET", "/api/v1/properties.csv?sort=listing_key", token_);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("content-type"), "text/csv; charset=utf-8; header=present");
  EXPECT_EQ(r.header("content-disposition"), "attachment; filename=\"properties.csv\"");
  EXPECT_EQ(r.header("x-next-cursor"), "");
  const std::vector<std::string> lines = lines_of(r.body);
  ASSERT_EQ(lines.size(), 3u) << r.body;
  EXPECT_EQ(lines[0],
            "listing_key,standard_status,list_price,close_price,bedrooms_total,bathrooms_total,"
            "living_area,property_type,unparsed_address,city,postal_code,latitude,longitude,"
            "modification_timestamp,first_seen_at,updated_at,gone_at,source_connector");
  EXPECT_EQ(lines[2].rfind(
                "CSV-1,Active,250000.00,,2,1.00,,,1 CSV-1 St,\"Seattle, WA\",98103,47.61,-122.33,"
                "2025-05-06T07:08:09.000000Z,",
                0),
            0u)
      << lines[2];
  EXPECT_EQ(lines[1].rfind("'=CMD(),Pending,,,,,,,1 =CMD() St,\"He said \"\"hi\"\"\",98004,", 0),
            0u)
      << lines[1];
  EXPECT_EQ(r.body.substr(r.body.size() - 2), "\r\n");
}

TEST_F(PropertyCsvApi, AcceptTextCsvOnTheSearchGivesTheSameExportWithItsFilters) {
  insert_listings(h_.conninfo(), {Listing{"t-one", "P-1", "Pending"}, Listing{"t-one", "A-1"}});
  const reos::test::ClientResponse r =
      h_.call("GET", "/api/v1/properties?status=Pending", token_, "", {"Accept: text/csv"});
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-type"), "text/csv; charset=utf-8; header=present");
  const std::vector<std::string> lines = lines_of(r.body);
  ASSERT_EQ(lines.size(), 2u) << r.body;
  EXPECT_EQ(lines[1].substr(0, 4), "P-1,");
  const reos::test::ClientResponse bad = h_.call("GET", "/api/v1/properties.csv?beds=many", token_);
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("query.beds"), std::string::npos);
}

// 2,345 rows cross the 1,000-row internal chunks; a limit stops early with X-Next-Cursor,
// and following it yields the rest with nothing lost or repeated.
TEST_F(PropertyCsvApi, LargeExportsAreChunkedAndContinuable) {
  std::vector<Listing> rows;
  for (int i = 0; i < 2345; ++i) {
    Listing l{"t-one", "R" + std::to_string(100000 + i)};
    l.price = 100000 + (i % 50) * 1000;
    rows.push_back(l);
  }
  insert_listings(h_.conninfo(), rows);
  const reos::test::ClientResponse all =
      h_.call("GET", "/api/v1/properties.csv?sort=price", token_);
  ASSERT_EQ(all.status, 200);
  const std::vector<std::string> all_lines = lines_of(all.body);
  EXPECT_EQ(all_lines.size(), 2346u);
  std::vector<std::string> joined = {all_lines[0]};
  std::string cursor;
  int parts = 0;
  do {
    const reos::test::ClientResponse part = h_.call("GET",
                                                    "/api/v1/properties.csv?sort=price&limit=1000" +
                                                        (cursor.empty() ? "" : "&cursor=" + cursor),
                                                    token_);
    ASSERT_EQ(part.status, 200) << part.body;
    const std::vector<std::string> lines = lines_of(part.body);
    joined.insert(joined.end(), lines.begin() + 1, lines.end());
    cursor = part.header("x-next-cursor");
    ++parts;
  } while (!cursor.empty() && parts < 10);
  EXPECT_EQ(parts, 3);
  EXPECT_EQ(joined, all_lines);
}

}  // namespace
}  // namespace reos::property_search::test
