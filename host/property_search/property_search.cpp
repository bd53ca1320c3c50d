#include "property_search/property_search.hpp"

#include <algorithm>
#include <pqxx/pqxx>

#include "property_search/csv_writer.hpp"
#include "property_search/page_cursor.hpp"
#include "property_search/property_columns.hpp"
#include "property_search/property_sql.hpp"

namespace reos::property_search {
namespace {

// CSV exports read this many rows per statement, so memory in the database stays flat.
constexpr long kCsvChunkRows = 1000;

std::optional<std::string> nullable(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return f.as<std::string>();
}

PropertyCursor cursor_of(const pqxx::row& row) {
  return PropertyCursor{nullable(row["sort_value"]), row["listing_key"].as<std::string>()};
}

std::string encode(const PropertyQuery& query, const PropertyCursor& at) {
  return encode_cursor({sort_name(query), at.value, at.listing_key});
}

std::string keyset_columns(const PropertyQuery& query) {
  return ", " + sort_value_sql(query.sort) + " AS sort_value, listing_key";
}

}  // namespace

std::string search_page_json(pqxx::transaction_base& tx, const PropertyQuery& query) {
  SqlParams params;
  // One row more than the page tells whether a next page exists.
  const std::string sql =
      search_sql(query, query.after, summary_json_sql() + "::text AS item" + keyset_columns(query),
                 query.limit + 1, params);
  const pqxx::result rows = exec_with(tx, sql, params);
  const std::size_t kept =
      std::min<std::size_t>(rows.size(), static_cast<std::size_t>(query.limit));
  std::string body = "{\"items\":[";
  for (std::size_t i = 0; i < kept; ++i) {
    if (i > 0) body += ',';
    body += rows[static_cast<int>(i)]["item"].c_str();
  }
  body += "],\"next_cursor\":";
  if (rows.size() > kept) {
    body += "\"" + encode(query, cursor_of(rows[static_cast<int>(kept) - 1])) + "\"";
  } else {
    body += "null";
  }
  return body + "}";
}

std::string search_csv(pqxx::transaction_base& tx, const PropertyQuery& query,
                       std::string& next_cursor) {
  const std::vector<PropertyColumn>& columns = property_columns();
  std::string out;
  std::vector<std::string> fields;
  for (const PropertyColumn& c : columns) fields.push_back(c.name);
  append_csv_record(out, fields);
  next_cursor.clear();
  std::optional<PropertyCursor> after = query.after;
  long written = 0;
  while (written < query.limit) {
    const long want = std::min(kCsvChunkRows, query.limit - written);
    SqlParams params;
    const std::string sql =
        search_sql(query, after, csv_columns_sql() + keyset_columns(query), want + 1, params);
    const pqxx::result rows = exec_with(tx, sql, params);
    const long kept = std::min<long>(static_cast<long>(rows.size()), want);
    for (long r = 0; r < kept; ++r) {
      const pqxx::row row = rows[static_cast<int>(r)];
      fields.clear();
      for (std::size_t i = 0; i < columns.size(); ++i) {
        fields.push_back(csv_field(nullable(row[static_cast<int>(i)]), columns[i].text));
      }
      append_csv_record(out, fields);
    }
    written += kept;
    if (static_cast<long>(rows.size()) <= want) return out;  // no more rows match
    after = cursor_of(rows[static_cast<int>(kept) - 1]);
  }
  next_cursor = encode(query, *after);
  return out;
}

std::string property_json(pqxx::transaction_base& tx, const std::string& listing_key) {
  const std::string sql =
      "SELECT (" + summary_json_sql() +
      "::jsonb || jsonb_build_object('record', data, "
      "'history', (SELECT coalesce(jsonb_agg(jsonb_build_object('change', h.change, "
      "'old_value', h.old_value, 'new_value', h.new_value, 'changed_at', " +
      utc_text_sql("h.changed_at") +
      ") ORDER BY h.changed_at DESC, h.id DESC), '[]'::jsonb) FROM (SELECT * FROM "
      "property_history h WHERE h.tenant_id = properties.tenant_id AND h.listing_key = "
      "properties.listing_key ORDER BY h.changed_at DESC, h.id DESC LIMIT 100) h)))::text "
      "FROM tenant_properties AS properties WHERE listing_key = $1";
  const pqxx::result rows = tx.exec_params(sql, listing_key);
  if (rows.empty()) return "";
  return rows[0][0].as<std::string>();
}

}  // namespace reos::property_search
