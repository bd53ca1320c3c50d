// odata_query.hpp — the request URLs of a replication: the resource collection with $filter
// (the caller's filter ANDed with the cursor's ModificationTimestamp/ListingKey position),
// $orderby, $top, $select, $expand and $count, percent-encoded for the query string.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "reso_settings.hpp"

namespace reso {

/// Where a replication stands: the last record committed. `timestamp` is the literal exactly
/// as the server sent it (the server parses its own format back), already checked to be a
/// DateTimeOffset, so it needs no quoting.
struct Position {
  std::string timestamp;
  std::string key;
};

/// RFC 3986 query-component encoding: everything but unreserved characters as %XX.
std::string percent_encode(std::string_view text);

/// An OData string literal: quoted, with ' doubled (O'Brien → 'O''Brien').
std::string string_literal(std::string_view text);

/// The $filter of the page after `after`: records later than it in (timestamp, key) order —
/// `ts gt T or (ts eq T and key gt 'K')` — so records sharing T are neither skipped nor
/// repeated. ANDed with settings.filter. "" when there is neither.
std::string replication_filter(const Settings& settings, const std::optional<Position>& after);

/// The collection URL of the page after `after` ($count=true when `with_count`).
std::string page_url(const Settings& settings, const std::optional<Position>& after,
                     bool with_count);

/// The service's $metadata document.
std::string metadata_url(const Settings& settings);

}  // namespace reso
