#include "property_search/property_query.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <regex>

#include "admin_api/query_params.hpp"
#include "api/api_context.hpp"
#include "property_search/page_cursor.hpp"

namespace reos::property_search {
namespace {

using admin_api::QueryParams;

// RESO StandardStatus values (schemas/property.json).
const std::vector<std::string> kStatuses = {"Active",      "Active Under Contract",
                                            "Canceled",    "Closed",
                                            "Coming Soon", "Delete",
                                            "Expired",     "Hold",
                                            "Incomplete",  "Pending",
                                            "Withdrawn"};

constexpr double kMaxRadiusM = 100000;  // 100 km: wider searches should use a bounding box

// numeric(14, 2) for prices; baths allow two decimals too (2.75 baths exist).
bool is_money(const std::string& text) {
  static const std::regex pattern(R"(^[0-9]{1,12}(\.[0-9]{1,2})?$)");
  return std::regex_match(text, pattern);
}

std::optional<double> parse_number(const std::string& text) {
  if (text.empty() || text.size() > 32) return std::nullopt;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(sep, start);
    parts.push_back(text.substr(start, end - start));
    if (end == std::string::npos) return parts;
    start = end + 1;
  }
}

std::optional<std::string> money(QueryParams& params, const std::string& name) {
  const std::optional<std::string> value = params.text(name);
  if (value && !is_money(*value)) {
    params.reject(name, "must be a non-negative amount with at most 2 decimals");
    return std::nullopt;
  }
  return value;
}

std::optional<double> number_in(QueryParams& params, const std::string& name, double min,
                                double max) {
  const std::optional<std::string> text = params.text(name);
  if (!text) return std::nullopt;
  const std::optional<double> value = parse_number(*text);
  if (!value || *value < min || *value > max) {
    params.reject(name, "must be a number from " + std::to_string(static_cast<long>(min)) + " to " +
                            std::to_string(static_cast<long>(max)));
    return std::nullopt;
  }
  return value;
}

void parse_statuses(QueryParams& params, PropertyQuery& query) {
  const std::optional<std::string> text = params.text("status");
  if (!text) return;
  for (const std::string& status : split(*text, ',')) {
    if (std::find(kStatuses.begin(), kStatuses.end(), status) == kStatuses.end()) {
      params.reject("status", "unknown StandardStatus '" + status +
                                  "' (comma-separated RESO values such as Active,Pending)");
      return;
    }
    query.statuses.push_back(status);
  }
}

void parse_near(QueryParams& params, PropertyQuery& query) {
  const bool any = params.text("lat") || params.text("lng") || params.text("radius_m");
  const std::optional<double> lat = number_in(params, "lat", -90, 90);
  const std::optional<double> lng = number_in(params, "lng", -180, 180);
  const std::optional<double> radius = number_in(params, "radius_m", 0, kMaxRadiusM);
  if (!any) return;
  if (lat && lng && radius) {
    query.near = GeoCircle{*lat, *lng, *radius};
    return;
  }
  for (const char* name : {"lat", "lng", "radius_m"}) {
    if (!params.text(name)) params.reject(name, "lat, lng and radius_m go together");
  }
}

void parse_bbox(QueryParams& params, PropertyQuery& query) {
  const std::optional<std::string> text = params.text("bbox");
  if (!text) return;
  const std::vector<std::string> parts = split(*text, ',');
  std::vector<double> values;
  for (const std::string& part : parts) {
    const std::optional<double> value = parse_number(part);
    if (value) values.push_back(*value);
  }
  const char* shape = "must be min_lng,min_lat,max_lng,max_lat (degrees, min < max)";
  if (parts.size() != 4 || values.size() != 4) return params.reject("bbox", shape);
  const GeoBox box{values[0], values[1], values[2], values[3]};
  const bool in_range =
      box.min_lng >= -180 && box.max_lng <= 180 && box.min_lat >= -90 && box.max_lat <= 90;
  if (!in_range || box.min_lng >= box.max_lng || box.min_lat >= box.max_lat) {
    return params.reject("bbox", shape);
  }
  query.bbox = box;
}

void parse_sort(QueryParams& params, PropertyQuery& query) {
  std::string text = params.text("sort").value_or("-modified");
  query.descending = !text.empty() && text[0] == '-';
  if (query.descending) text.erase(0, 1);
  if (text == "price") {
    query.sort = SortField::price;
  } else if (text == "modified") {
    query.sort = SortField::modified;
  } else if (text == "listing_key") {
    query.sort = SortField::listing_key;
  } else {
    params.reject("sort", "must be price, modified or listing_key, with '-' for descending");
  }
}

void parse_cursor(QueryParams& params, PropertyQuery& query) {
  const std::optional<std::string> text = params.text("cursor");
  if (!text) return;
  const std::optional<CursorParts> parts = decode_cursor(*text);
  if (!parts || parts->size() != 3 || !(*parts)[0] || !(*parts)[2]) {
    return params.reject("cursor", "not a cursor this API returned");
  }
  if (*(*parts)[0] != sort_name(query)) {
    return params.reject("cursor",
                         "belongs to another sort order; keep the sort of the first page");
  }
  const std::optional<std::string>& value = (*parts)[1];
  static const std::regex price(R"(^[0-9]{1,12}(\.[0-9]{1,6})?$)");
  static const std::regex stamp(
      R"(^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?Z$)");
  const bool value_ok = query.sort == SortField::listing_key ? !value
                        : !value                             ? true
                        : query.sort == SortField::price     ? std::regex_match(*value, price)
                                                             : std::regex_match(*value, stamp);
  if (!value_ok) return params.reject("cursor", "not a cursor this API returned");
  query.after = PropertyCursor{value, *(*parts)[2]};
}

std::vector<http::InvalidParam> prefixed(const std::vector<http::InvalidParam>& errors) {
  std::vector<http::InvalidParam> out;
  for (const http::InvalidParam& e : errors) out.push_back({"query." + e.name, e.reason});
  return out;
}

}  // namespace

std::string sort_name(const PropertyQuery& query) {
  const char* field = query.sort == SortField::price      ? "price"
                      : query.sort == SortField::modified ? "modified"
                                                          : "listing_key";
  return (query.descending ? "-" : "") + std::string(field);
}

PropertyQuery parse_property_query(const std::string& raw_query, bool csv) {
  QueryParams params(
      raw_query, {"status", "min_price", "max_price", "beds", "baths", "city", "postal_code", "lat",
                  "lng", "radius_m", "bbox", "include_gone", "sort", "limit", "cursor"});
  PropertyQuery query;
  parse_statuses(params, query);
  query.min_price = money(params, "min_price");
  query.max_price = money(params, "max_price");
  if (query.min_price && query.max_price &&
      std::strtod(query.min_price->c_str(), nullptr) >
          std::strtod(query.max_price->c_str(), nullptr)) {
    params.reject("max_price", "must not be below min_price");
  }
  if (params.text("beds")) query.min_beds = params.integer("beds", 0, 100, 0);
  query.min_baths = money(params, "baths");
  query.city = params.text("city");
  query.postal_code = params.text("postal_code");
  parse_near(params, query);
  parse_bbox(params, query);
  const std::string gone = params.text("include_gone").value_or("false");
  if (gone != "true" && gone != "false") params.reject("include_gone", "must be true or false");
  query.include_gone = gone == "true";
  parse_sort(params, query);
  const long max = csv ? kMaxCsvRows : kMaxPageSize;
  query.limit = params.integer("limit", 1, max, csv ? kMaxCsvRows : kDefaultPageSize);
  parse_cursor(params, query);
  if (!params.errors().empty()) api::throw_invalid(prefixed(params.errors()));
  return query;
}

}  // namespace reos::property_search
