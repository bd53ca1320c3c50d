#pragma once

// Runs a parsed property search in the caller's tenant and renders it as a JSON page or a
// CSV export.

#include <string>

#include "http/http_types.hpp"
#include "property_search/property_query.hpp"

namespace pqxx {
class transaction_base;
}

namespace reos::property_search {

/// One JSON page: {"items": [...], "next_cursor": "…" | null}. `tx` is in the tenant's scope.
std::string search_page_json(pqxx::transaction_base& tx, const PropertyQuery& query);

/// The CSV export (header row + up to query.limit rows). `next_cursor` is set when more rows
/// match (the client continues with ?cursor=…), "" otherwise.
std::string search_csv(pqxx::transaction_base& tx, const PropertyQuery& query,
                       std::string& next_cursor);

/// The property resource with its canonical record and recent history, or "" when the
/// tenant has no listing `listing_key`.
std::string property_json(pqxx::transaction_base& tx, const std::string& listing_key);

}  // namespace reos::property_search
