#pragma once

// GET /api/v1/properties (search: filters, sort, cursor pages; CSV with Accept: text/csv),
// GET /api/v1/properties.csv (the CSV export) and GET /api/v1/properties/{ListingKey}.
// See docs/property-search.md.

namespace reos::http {
class Router;
}
namespace reos::api {
class ApiContext;
}

namespace reos::property_search {

/// Registers the property search routes (viewer role; API keys need "properties:read").
void add_property_search_routes(http::Router& router, const api::ApiContext& api);

}  // namespace reos::property_search
