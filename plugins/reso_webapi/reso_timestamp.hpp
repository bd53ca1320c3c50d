// reso_timestamp.hpp — OData Edm.DateTimeOffset values (RFC 3339: 2020-04-02T02:02:02.02Z,
// …+02:00) as comparable instants. Servers send 0 to 7 (up to 12) fractional digits and any
// offset, so the text does not sort: "…02.02Z" is later than "…02Z" but sorts first.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace reso {

/// An instant in UTC: whole seconds since 1970 and picoseconds (OData allows 12 digits).
struct Instant {
  std::int64_t seconds = 0;
  std::int64_t picos = 0;

  friend bool operator<(const Instant& a, const Instant& b) {
    return a.seconds != b.seconds ? a.seconds < b.seconds : a.picos < b.picos;
  }
  friend bool operator==(const Instant& a, const Instant& b) {
    return a.seconds == b.seconds && a.picos == b.picos;
  }
  friend bool operator!=(const Instant& a, const Instant& b) { return !(a == b); }
};

/// Parses `YYYY-MM-DDTHH:MM:SS[.f{1,12}](Z|±HH:MM)`; a date alone (`YYYY-MM-DD`) is its
/// midnight UTC. nullopt when the text is not such a value (or not a calendar date).
std::optional<Instant> parse_instant(std::string_view text);

}  // namespace reso
