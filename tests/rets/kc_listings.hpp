#pragma once

// King County house sales (shared/data/kc_house_data.csv) as RETS listings, in the system
// names of connectors/mls/rets_generic.yaml: what the demo RETS server
// (reos-rets-test-server) serves.

#include <string>
#include <vector>

#include "rets_test_server.hpp"

namespace reos::test {

/// The columns after RetsTestServer's ListingKey, ModificationTimestamp, ListPrice, City.
std::vector<std::string> kc_extra_columns();

/// One listing per sale: ListingKey "<id>-<YYYY-MM-DD>" (as connectors/mls/kc_csv.yaml), Status
/// "Sold", the sale date as ModificationTimestamp/CloseDate, price as ListPrice/ClosePrice.
/// Throws std::runtime_error when the file cannot be read or a row has the wrong column count.
std::vector<RetsListing> kc_listings(const std::string& csv_path);

}  // namespace reos::test
