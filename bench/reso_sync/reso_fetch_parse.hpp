// reso_fetch_parse.hpp — the RESO sync without the database: the reso_webapi plugin loaded in
// process, HTTP through the host's ConnectorHttpClient to the local server, every page
// pulled, parsed and emitted into the host's call result (what source.pull does before its
// transaction). And the page parser alone on an in-memory page.
#pragma once

#include <string>

namespace reos::bench {

struct FetchParse {
  long long rows = 0;
  int pages = 0;
  double seconds = 0;
};

/// Pulls from `base_url` until the plugin says the sync is complete.
FetchParse reso_fetch_and_parse(const std::string& plugin, const std::string& base_url,
                                const std::string& token_url, int page_size);

/// Rows per second of reso::parse_page alone over `page_size` generated records (with
/// Media), parsed `rounds` times.
double reso_parse_rate(int page_size, int rounds);

}  // namespace reos::bench
