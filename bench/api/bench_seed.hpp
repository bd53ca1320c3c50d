#pragma once

// The bench database: migrated, one tenant "bench" with one agent, `listings` properties
// spread over ten cities around Seattle and `contacts` contacts, all written in a few
// INSERT … SELECT generate_series statements (100,000 listings take a few seconds).

#include <string>
#include <vector>

namespace reos::bench {

struct SeededData {
  std::string user_id;
  std::vector<std::string> contact_ids;  ///< a sample to read back
};

/// Drops and creates `database` on the cluster of `admin_conninfo`, migrates and seeds it.
SeededData seed_bench_database(const std::string& admin_conninfo, const std::string& database,
                               long listings, long contacts);

/// Drops `database` (closing its connections).
void drop_bench_database(const std::string& admin_conninfo, const std::string& database);

}  // namespace reos::bench
