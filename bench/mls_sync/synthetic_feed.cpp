#include "synthetic_feed.hpp"

#include <cstdio>

namespace reos::bench {
namespace {

const char* const kCities[] = {"Seattle", "Bellevue", "Redmond", "Kirkland", "Renton", "Kent"};
const char* const kStreets[] = {"Pine St",   "Maple Ave",     "Lake Washington Blvd",
                                "NE 8th St", "Rainier Ave S", "Greenwood Ave N"};
const char* const kStatuses[] = {"Active", "Active", "Active", "Pending", "Sold", "Expired"};

// A cheap, well-mixed pseudo-random number per (listing, field): the feed is the same on
// every run without storing it.
unsigned mix(unsigned i, unsigned field) {
  unsigned x = i * 2654435761u ^ (field + 0x9e3779b9u);
  x ^= x >> 16;
  x *= 0x85ebca6bu;
  x ^= x >> 13;
  return x;
}

std::string timestamp(int i) {
  char ts[32];
  std::snprintf(ts, sizeof ts, "2024-01-%02dT%02d:%02d:%02d", 1 + i / 86400, (i / 3600) % 24,
                (i / 60) % 60, i % 60);
  return ts;
}

}  // namespace

std::vector<std::string> synthetic_extra_columns() {
  return {"ListingID",       "Status",      "OriginalListPrice",
          "ListDate",        "DOM",         "PropertyType",
          "PropertySubType", "Bedrooms",    "BathsTotal",
          "BathsFull",       "BathsHalf",   "SqFt",
          "LotSqFt",         "YearBuilt",   "StreetNumber",
          "StreetName",      "State",       "ZipCode",
          "County",          "Latitude",    "Longitude",
          "Remarks",         "ListAgentID", "ListOfficeID",
          "PhotoCount",      "ClosePrice",  "CloseDate"};
}

std::vector<test::RetsListing> synthetic_listings(int n) {
  std::vector<test::RetsListing> out;
  out.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    const unsigned u = static_cast<unsigned>(i);
    const unsigned price = 150000 + mix(u, 1) % 1850 * 1000;
    const unsigned beds = 1 + mix(u, 2) % 6;
    const unsigned full = 1 + mix(u, 3) % 3;
    const unsigned half = mix(u, 4) % 2;
    char lat[16], lon[16];
    std::snprintf(lat, sizeof lat, "47.%06u", 300000 + mix(u, 5) % 500000);
    std::snprintf(lon, sizeof lon, "-122.%06u", 100000 + mix(u, 6) % 400000);
    test::RetsListing l;
    l.key = "BM" + std::to_string(1000000 + i);
    l.modified = timestamp(i);
    l.price = std::to_string(price);
    l.city = kCities[mix(u, 7) % 6];
    l.extra = {std::to_string(2400000 + i),
               kStatuses[mix(u, 8) % 6],
               std::to_string(price + mix(u, 9) % 20 * 5000),
               "2023-12-" + std::to_string(10 + mix(u, 10) % 18),
               std::to_string(mix(u, 11) % 120),
               "Residential",
               "Single Family Residence",
               std::to_string(beds),
               std::to_string(full + half),
               std::to_string(full),
               std::to_string(half),
               std::to_string(700 + mix(u, 12) % 4000),
               std::to_string(2000 + mix(u, 13) % 20000),
               std::to_string(1900 + mix(u, 14) % 124),
               std::to_string(100 + mix(u, 15) % 19900),
               kStreets[mix(u, 16) % 6],
               "WA",
               std::to_string(98001 + mix(u, 17) % 199),
               "King",
               lat,
               lon,
               "Bright " + std::to_string(beds) +
                   "-bedroom home near parks and transit, updated kitchen, fenced yard, "
                   "two-car garage. Listing " +
                   std::to_string(i) + ".",
               "AG" + std::to_string(mix(u, 18) % 5000),
               "OF" + std::to_string(mix(u, 19) % 300),
               std::to_string(mix(u, 20) % 40),
               "",
               ""};  // not closed: no ClosePrice / CloseDate
    out.push_back(std::move(l));
  }
  return out;
}

}  // namespace reos::bench
