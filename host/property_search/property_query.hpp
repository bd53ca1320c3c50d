#pragma once

// The query string of GET /api/v1/properties (and its CSV export), parsed and checked.
// Every bad parameter is reported at once as "query.<name>" (docs/property-search.md).

#include <optional>
#include <string>
#include <vector>

namespace reos::property_search {

/// The orders a listing can be read in; NULL values sort last in both directions.
enum class SortField { price, modified, listing_key };

struct GeoCircle {
  double lat = 0;
  double lng = 0;
  double radius_m = 0;
};

/// A longitude/latitude rectangle (GeoJSON order: west, south, east, north).
struct GeoBox {
  double min_lng = 0;
  double min_lat = 0;
  double max_lng = 0;
  double max_lat = 0;
};

/// Where the previous page stopped: the sort value of its last row (nullopt = NULL) and
/// its ListingKey.
struct PropertyCursor {
  std::optional<std::string> value;
  std::string listing_key;
};

struct PropertyQuery {
  std::vector<std::string> statuses;     ///< RESO StandardStatus values, any of
  std::optional<std::string> min_price;  ///< decimal text, validated
  std::optional<std::string> max_price;
  std::optional<long> min_beds;
  std::optional<std::string> min_baths;  ///< decimal text, validated
  std::optional<std::string> city;       ///< compared case-insensitively
  std::optional<std::string> postal_code;
  std::optional<GeoCircle> near;
  std::optional<GeoBox> bbox;
  bool include_gone = false;
  SortField sort = SortField::modified;
  bool descending = true;
  long limit = 50;
  std::optional<PropertyCursor> after;
};

/// Page sizes: JSON pages and CSV exports (an export is one response, paged internally).
constexpr long kDefaultPageSize = 50;
constexpr long kMaxPageSize = 200;
constexpr long kMaxCsvRows = 100000;

/// The `sort` parameter's text for `query` ("-modified", "price", …): cursors carry it.
std::string sort_name(const PropertyQuery& query);

/// Parses `raw_query`; throws api::ApiError 400 listing every bad parameter. `csv` selects
/// the CSV export's limit range (default and maximum kMaxCsvRows).
PropertyQuery parse_property_query(const std::string& raw_query, bool csv);

}  // namespace reos::property_search
