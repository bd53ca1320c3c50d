#pragma once

// A deterministic synthetic MLS feed for bench/mls_sync: `n` residential listings with the
// RETS 1.x system names that connectors/mls/rets_generic.yaml maps (about 420 bytes a row in
// COMPACT-DECODED), one ModificationTimestamp second apart.

#include <string>
#include <vector>

#include "rets_test_server.hpp"

namespace reos::bench {

/// The columns after RetsTestServer's ListingKey, ModificationTimestamp, ListPrice, City.
std::vector<std::string> synthetic_extra_columns();

/// Listings 0..n-1; the same `n` always gives the same rows.
std::vector<test::RetsListing> synthetic_listings(int n);

}  // namespace reos::bench
