#pragma once

// The fields of a property in search results, JSON and CSV alike: one list, so the two
// formats cannot drift apart (docs/property-search.md lists them).

#include <string>
#include <vector>

namespace reos::property_search {

struct PropertyColumn {
  const char* name;  ///< JSON member and CSV header
  std::string expr;  ///< SQL over `properties` (typed: numbers stay numbers in JSON)
  bool text;         ///< free text from a source (guarded against spreadsheet formulas in CSV)
};

/// Every summary column, in CSV order.
const std::vector<PropertyColumn>& property_columns();

/// `json_build_object(<every column>)` — the summary object of one row.
std::string summary_json_sql();

/// `(<expr>)::text AS c<i>` for every column, comma-separated.
std::string csv_columns_sql();

/// A UTC timestamp as RFC 3339 text with microseconds ("2025-01-02T03:04:05.123456Z").
std::string utc_text_sql(const std::string& column);

}  // namespace reos::property_search
