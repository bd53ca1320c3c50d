#include "property_search/property_columns.hpp"

namespace reos::property_search {

std::string utc_text_sql(const std::string& column) {
  return "to_char(" + column + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')";
}

const std::vector<PropertyColumn>& property_columns() {
  static const std::vector<PropertyColumn> columns = {
      {"listing_key", "listing_key", true},
      {"standard_status", "standard_status", false},
      {"list_price", "list_price", false},
      {"close_price", "close_price", false},
      {"bedrooms_total", "bedrooms_total", false},
      {"bathrooms_total", "bathrooms_total", false},
      {"living_area",
       "CASE WHEN jsonb_typeof(data->'LivingArea') = 'number' THEN (data->'LivingArea')::numeric "
       "END",
       false},
      {"property_type", "data->>'PropertyType'", true},
      {"unparsed_address", "data->>'UnparsedAddress'", true},
      {"city", "city", true},
      {"postal_code", "postal_code", true},
      {"latitude", "ST_Y(geog::geometry)", false},
      {"longitude", "ST_X(geog::geometry)", false},
      {"modification_timestamp", utc_text_sql("modification_timestamp"), false},
      {"first_seen_at", utc_text_sql("first_seen_at"), false},
      {"updated_at", utc_text_sql("updated_at"), false},
      {"gone_at", utc_text_sql("gone_at"), false},
      {"source_connector", "source_connector", true},
  };
  return columns;
}

std::string summary_json_sql() {
  std::string sql = "json_build_object(";
  bool first = true;
  for (const PropertyColumn& c : property_columns()) {
    sql += (first ? "'" : ", '") + std::string(c.name) + "', " + c.expr;
    first = false;
  }
  return sql + ")";
}

std::string csv_columns_sql() {
  std::string sql;
  int i = 0;
  for (const PropertyColumn& c : property_columns()) {
    sql += (i == 0 ? "(" : ", (") + c.expr + ")::text AS c" + std::to_string(i);
    ++i;
  }
  return sql;
}

}  // namespace reos::property_search
