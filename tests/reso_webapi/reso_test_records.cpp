// Listings for the RESO test server (see the header).
#include "reso_test_records.hpp"

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

namespace reos::test {

namespace {

const char* const kCities[] = {"Seattle", "Bellevue", "Redmond", "Kirkland", "Renton"};
const char* const kStreets[] = {"Pine St", "Union Ave", "Lake Washington Blvd", "Main St",
                                "Cedar Ln"};
const char* const kStatus[] = {"Active", "Pending", "ActiveUnderContract", "Closed"};

// Seconds after `start` as an RFC 3339 UTC timestamp.
std::string timestamp(const std::string& start, long long plus, int fraction_digits) {
  int y, mo, d, h, mi, s;
  std::sscanf(start.c_str(), "%d-%d-%dT%d:%d:%d", &y, &mo, &d, &h, &mi, &s);
  long long t = h * 3600LL + mi * 60 + s + plus;
  d += static_cast<int>(t / 86400);  // test spans stay within one month
  t %= 86400;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02lld:%02lld:%02lld", y, mo, d, t / 3600,
                (t / 60) % 60, t % 60);
  std::string out = buf;
  if (fraction_digits > 0) out += "." + std::string(static_cast<std::size_t>(fraction_digits), '0');
  return out + "Z";
}

}  // namespace

std::vector<ResoListing> generate_listings(const GeneratedListings& spec) {
  std::vector<ResoListing> out;
  out.reserve(static_cast<std::size_t>(spec.count));
  char key[32];
  for (int i = 0; i < spec.count; ++i) {
    const int n = spec.first + i;
    std::snprintf(key, sizeof key, "L%07d", n);
    ResoListing l;
    l.key = key;
    l.modified = timestamp(spec.start, i / std::max(1, spec.per_timestamp), spec.fraction_digits);
    const long long price = 300000 + (n % 9000) * 100 + spec.price_offset;
    nlohmann::json r = {
        {"ListingKey", l.key},
        {"ListingId", "NWM" + std::to_string(100000 + n)},
        {"StandardStatus", kStatus[n % 4]},
        {"PropertyType", "Residential"},
        {"ListPrice", price},
        {"OriginalListPrice", price + 5000},
        {"BedroomsTotal", 1 + n % 5},
        {"BathroomsTotalInteger", 1 + n % 3},
        {"LivingArea", 900 + n % 2500},
        {"LotSizeSquareFeet", 3000 + n % 9000},
        {"YearBuilt", 1950 + n % 70},
        {"StreetNumber", std::to_string(100 + n % 9000)},
        {"StreetName", kStreets[n % 5]},
        {"UnparsedAddress", std::to_string(100 + n % 9000) + " " + kStreets[n % 5]},
        {"City", kCities[n % 5]},
        {"StateOrProvince", "WA"},
        {"PostalCode", std::to_string(98101 + n % 90)},
        {"CountyOrParish", "King"},
        {"Latitude", 47.5 + (n % 1000) / 10000.0},
        {"Longitude", -122.3 + (n % 1000) / 10000.0},
        {"ListAgentKey", "A" + std::to_string(n % 200)},
        {"ListOfficeKey", "O" + std::to_string(n % 40)},
        {"ListingContractDate", "2023-12-15"},
        {"PublicRemarks", "Bright home near the lake, updated kitchen, fenced yard."},
        {"ModificationTimestamp", l.modified},
        {"PhotosCount", spec.media_per_listing}};
    l.json = r.dump();
    nlohmann::json media = nlohmann::json::array();
    for (int m = 0; m < spec.media_per_listing; ++m)
      media.push_back(
          {{"MediaKey", l.key + "-" + std::to_string(m + 1)},
           {"ResourceRecordKey", l.key},
           {"MediaURL", spec.photo_base + "/" + l.key + "/" + std::to_string(m + 1) + ".jpg"},
           {"Order", m + 1},
           {"MediaCategory", "Photo"},
           {"ShortDescription", m == 0 ? "Front" : "Kitchen"}});
    l.media = media.dump();
    out.push_back(std::move(l));
  }
  return out;
}

std::vector<ResoListing> listings_from_payload(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  const nlohmann::json payload = nlohmann::json::parse(text.str());
  if (!payload.contains("value") || !payload["value"].is_array())
    throw std::runtime_error(path + " has no value array");
  std::vector<ResoListing> out;
  // Re-serialized: ListPrice 100000.00 becomes 100000.0, the same number.
  for (const auto& r : payload["value"]) {
    ResoListing l;
    l.key = r.value("ListingKey", "");
    l.modified = r.value("ModificationTimestamp", "");
    nlohmann::json copy = r;
    nlohmann::json media = copy.contains("Media") ? copy["Media"] : nlohmann::json::array();
    copy.erase("Media");
    l.json = copy.dump();
    l.media = media.dump();
    out.push_back(std::move(l));
  }
  return out;
}

ResoListing with_change(const ResoListing& listing, const std::string& field,
                        const std::string& json_value, const std::string& modified) {
  nlohmann::json r = nlohmann::json::parse(listing.json);
  r[field] = nlohmann::json::parse(json_value);
  r["ModificationTimestamp"] = modified;
  ResoListing out = listing;
  out.modified = modified;
  out.json = r.dump();
  return out;
}

}  // namespace reos::test
