#pragma once

// Listings written straight into `properties` (as the listings pipeline would) for the
// search tests, and small helpers to read pages.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace reos::property_search::test {

struct Listing {
  std::string tenant = "t-one";
  std::string key;
  std::string status = "Active";
  std::optional<double> price = 300000;
  std::optional<int> beds = 3;
  std::optional<double> baths = 2;
  std::string city = "Seattle";
  std::string postal_code = "98103";
  std::optional<double> lat = 47.65;
  std::optional<double> lng = -122.35;
  std::string modified = "2025-01-01T00:00:00Z";  ///< "" = NULL
  bool gone = false;
};

/// Inserts `rows` through a superuser connection (row-level security does not apply).
void insert_listings(const std::string& conninfo, const std::vector<Listing>& rows);

/// The listing_key of every item of a page.
std::vector<std::string> keys_of(const nlohmann::json& page);

}  // namespace reos::property_search::test
