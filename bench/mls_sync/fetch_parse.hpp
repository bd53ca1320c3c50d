#pragma once

// The fetch-and-parse half of a sync alone (no database): the rets plugin, loaded in process
// with its HTTP going through the host's ConnectorHttpClient over loopback, pulls every page
// from a RETS server and emits each row as a JSON record, as it does inside `reos sync`.

#include <string>

namespace reos::bench {

struct FetchParseResult {
  long long rows = 0;
  int pages = 0;
  double seconds = 0;
};

/// Pulls from `login_url` (user "bench", password from $RETS_BENCH_PASSWORD) until the sync is
/// complete. Throws std::runtime_error on a failed pull.
FetchParseResult fetch_and_parse(const std::string& plugin_path, const std::string& login_url,
                                 int page_size);

}  // namespace reos::bench
