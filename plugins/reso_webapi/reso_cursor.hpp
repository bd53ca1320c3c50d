// reso_cursor.hpp — the replication cursor handed to host->set_cursor (stored by the host
// only once the page's records are committed):
//   {"ts": "2024-01-01T10:00:00.5Z", "key": "L1000", "more": true, "next": "<nextLink>"}
// ts/key: the last record of the last committed page (the next page starts after it);
// more: a sync is under way (its first page asked for $count); next: paging: next_link only.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "odata_query.hpp"

namespace reso {

struct Cursor {
  std::optional<Position> after;  ///< nullopt: from the beginning
  bool more = false;              ///< the previous page said more pages follow
  std::string next_link;          ///< the server's link to the next page (paging: next_link)
};

/// Parses a stored cursor ("" = a first sync). Throws reos::Invalid when it is not one.
Cursor parse_cursor(std::string_view text);
std::string dump_cursor(const Cursor& cursor);

}  // namespace reso
