#include "property_search/property_sql.hpp"

#include <cmath>
#include <cstdio>
#include <optional>

namespace reos::property_search {
namespace {

// Doubles go to PostgreSQL as text with full precision.
std::string number_text(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  return buffer;
}

// The longitude/latitude rectangle that holds every point within the circle on the sphere
// ST_DWithin uses (PostGIS's mean radius), widened a little against rounding; empty when the
// circle reaches a pole or crosses the antimeridian, where no single rectangle holds it.
std::optional<GeoBox> enclosing_box(const GeoCircle& c) {
  constexpr double kEarthRadiusM = 6371008.8;
  constexpr double kPi = 3.14159265358979323846;
  constexpr double kDeg = 180.0 / kPi;
  const double angle = c.radius_m / kEarthRadiusM * 1.001 + 1e-9;  // radians
  const double dlat = angle * kDeg;
  if (angle >= kPi / 2 || std::fabs(c.lat) + dlat >= 90) return std::nullopt;
  // The widest longitude of a spherical cap: asin(sin δ / cos φ).
  const double dlng = std::asin(std::sin(angle) / std::cos(c.lat / kDeg)) * kDeg;
  if (c.lng - dlng < -180 || c.lng + dlng > 180) return std::nullopt;
  return GeoBox{c.lng - dlng, c.lat - dlat, c.lng + dlng, c.lat + dlat};
}

std::string envelope_sql(const GeoBox& b, SqlParams& params) {
  return "ST_MakeEnvelope(" + params.add(number_text(b.min_lng)) + "::float8, " +
         params.add(number_text(b.min_lat)) + "::float8, " + params.add(number_text(b.max_lng)) +
         "::float8, " + params.add(number_text(b.max_lat)) + "::float8, 4326)";
}

const char* sort_cast(SortField field) {
  return field == SortField::price ? "numeric" : "timestamptz";
}

std::string filters_sql(const PropertyQuery& q, SqlParams& params) {
  // tenant_properties already keeps only the caller's tenant (migrations/0011_contacts.sql).
  std::string where = "TRUE";
  if (!q.include_gone) where += " AND gone_at IS NULL";
  if (!q.statuses.empty()) {
    std::string list;
    for (const std::string& s : q.statuses) list += (list.empty() ? "" : ", ") + params.add(s);
    where += " AND standard_status IN (" + list + ")";
  }
  if (q.min_price) where += " AND list_price >= " + params.add(*q.min_price) + "::numeric";
  if (q.max_price) where += " AND list_price <= " + params.add(*q.max_price) + "::numeric";
  if (q.min_beds) {
    where += " AND bedrooms_total >= " + params.add(std::to_string(*q.min_beds)) + "::integer";
  }
  if (q.min_baths) where += " AND bathrooms_total >= " + params.add(*q.min_baths) + "::numeric";
  if (q.city) where += " AND lower(city) = lower(" + params.add(*q.city) + ")";
  if (q.postal_code) where += " AND postal_code = " + params.add(*q.postal_code);
  if (q.near) {
    // On the sphere (use_spheroid false): within 0.5% of the spheroid, far below the
    // precision of a listing's geocode, and a third of the cost per candidate row.
    where += " AND ST_DWithin(geog, ST_SetSRID(ST_MakePoint(" +
             params.add(number_text(q.near->lng)) + "::float8, " +
             params.add(number_text(q.near->lat)) + "::float8), 4326)::geography, " +
             params.add(number_text(q.near->radius_m)) + "::float8, false)";
    // The geography index's box around a circle is a geocentric cube, about twice the
    // circle's area at mid latitudes, and every candidate it yields costs a heap visit. The
    // planar index with the circle's lng/lat rectangle yields about 4/π of the circle.
    if (const auto box = enclosing_box(*q.near)) {
      where += " AND geog::geometry && " + envelope_sql(*box, params);
    }
  }
  if (q.bbox) {
    // Planar: a point is inside when its longitude and latitude are (edges included).
    where += " AND ST_Intersects(geog::geometry, " + envelope_sql(*q.bbox, params) + ")";
  }
  return where;
}

// Rows strictly after the cursor in the order of order_sql(); NULL sort values come last in
// both directions.
std::string keyset_sql(const PropertyQuery& q, const PropertyCursor& after, SqlParams& params) {
  const char* op = q.descending ? "<" : ">";
  const std::string key = params.add(after.listing_key);
  if (q.sort == SortField::listing_key) return "listing_key " + std::string(op) + " " + key;
  const std::string column = sort_column(q.sort);
  if (!after.value) return "(" + column + " IS NULL AND listing_key " + op + " " + key + ")";
  const std::string value = params.add(*after.value) + "::" + sort_cast(q.sort);
  return "((" + column + ", listing_key) " + op + " (" + value + ", " + key + ") OR " + column +
         " IS NULL)";
}

std::string order_sql(const PropertyQuery& q) {
  const std::string dir = q.descending ? " DESC" : " ASC";
  if (q.sort == SortField::listing_key) return "listing_key" + dir;
  return std::string(sort_column(q.sort)) + dir + " NULLS LAST, listing_key" + dir;
}

}  // namespace

const char* sort_column(SortField field) {
  switch (field) {
    case SortField::price:
      return "list_price";
    case SortField::modified:
      return "modification_timestamp";
    case SortField::listing_key:
      return "listing_key";
  }
  return "listing_key";
}

std::string sort_value_sql(SortField field) {
  switch (field) {
    case SortField::price:
      return "list_price::text";
    case SortField::modified:
      return "to_char(modification_timestamp AT TIME ZONE 'UTC', "
             "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')";
    case SortField::listing_key:
      return "NULL::text";
  }
  return "NULL::text";
}

std::string search_sql(const PropertyQuery& query, const std::optional<PropertyCursor>& after,
                       const std::string& select_list, long limit, SqlParams& params) {
  std::string where = filters_sql(query, params);
  if (after) where += " AND " + keyset_sql(query, *after, params);
  return "SELECT " + select_list + " FROM tenant_properties AS properties WHERE " + where +
         " ORDER BY " + order_sql(query) + " LIMIT " + params.add(std::to_string(limit)) +
         "::bigint";
}

}  // namespace reos::property_search
