#include "kc_listings.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace reos::test {
namespace {

// The file quotes some fields ("7129300520") and never has commas or quotes inside one.
std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> out;
  std::string field;
  std::istringstream in(line);
  while (std::getline(in, field, ',')) {
    if (!field.empty() && field.back() == '\r') field.pop_back();
    if (field.size() >= 2 && field.front() == '"' && field.back() == '"')
      field = field.substr(1, field.size() - 2);
    out.push_back(field);
  }
  return out;
}

}  // namespace

// Every system name connectors/mls/rets_generic.yaml reads (a generic server has them all);
// the sales file has no value for the last ones, so they are sent empty.
std::vector<std::string> kc_extra_columns() {
  return {"ListingID",    "Status",       "ClosePrice",      "CloseDate",
          "PropertyType", "Bedrooms",     "BathsTotal",      "SqFt",
          "LotSqFt",      "YearBuilt",    "State",           "ZipCode",
          "County",       "Latitude",     "Longitude",       "OriginalListPrice",
          "ListDate",     "DOM",          "PropertySubType", "BathsFull",
          "BathsHalf",    "StreetNumber", "StreetName",      "Remarks",
          "ListAgentID",  "ListOfficeID", "PhotoCount"};
}

std::vector<RetsListing> kc_listings(const std::string& csv_path) {
  std::ifstream in(csv_path);
  if (!in) throw std::runtime_error("cannot read " + csv_path);
  std::string line;
  std::getline(in, line);  // header
  std::vector<RetsListing> out;
  int n = 1;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty()) continue;
    const auto f = split_csv_line(line);
    if (f.size() != 21)
      throw std::runtime_error(csv_path + ":" + std::to_string(n) + ": expected 21 columns");
    // f: id,date,price,bedrooms,bathrooms,sqft_living,sqft_lot,floors,waterfront,view,
    //    condition,grade,sqft_above,sqft_basement,yr_built,yr_renovated,zipcode,lat,long,…
    const std::string& d = f[1];  // 20141013T000000
    const std::string date = d.substr(0, 4) + "-" + d.substr(4, 2) + "-" + d.substr(6, 2);
    RetsListing l;
    l.key = f[0] + "-" + date;
    l.modified = date + "T00:00:00";
    l.price = f[2];
    // USPS primary city for Seattle's own ZIP codes; the suburbs are left to the field map.
    l.city = f[16].rfind("981", 0) == 0 ? "Seattle" : "";
    l.extra = {f[0], "Sold", f[2], date,  "Residential", f[3],  f[4], f[5],
               f[6], f[14],  "WA", f[16], "King",        f[17], f[18]};
    out.push_back(std::move(l));
  }
  return out;
}

}  // namespace reos::test
