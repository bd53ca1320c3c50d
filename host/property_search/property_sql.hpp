#pragma once

// The SQL of a property search: the WHERE clause of the filters, the keyset condition of the
// cursor and the ORDER BY, all with numbered parameters (docs/property-search.md).

#include <string>

#include "property_search/property_query.hpp"
#include "property_search/sql_params.hpp"

namespace reos::property_search {

/// The sort column expression for `field` ("list_price", …).
const char* sort_column(SortField field);

/// `SELECT <select_list> FROM tenant_properties WHERE <filters and cursor> ORDER BY … LIMIT
/// <limit>`, with the query's values added to `params`. `after` overrides query.after (CSV exports
/// advance it page by page).
std::string search_sql(const PropertyQuery& query, const std::optional<PropertyCursor>& after,
                       const std::string& select_list, long limit, SqlParams& params);

/// The sort value of a result row as the cursor stores it: the select list must expose it
/// as the column `sort_value` (text, NULL for NULL) next to `listing_key`.
std::string sort_value_sql(SortField field);

}  // namespace reos::property_search
