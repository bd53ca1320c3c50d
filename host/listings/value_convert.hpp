#pragma once

// Conversions from the text a listing file holds to canonical values: numbers in any C
// notation (`1.225e+006`), integers, calendar dates and timestamps in the forms MLS feeds
// and exports use, booleans. Each returns false (and sets `why`) when the text does not fit.

#include <string>

namespace reos::listings {

/// A decimal number, optionally with exponent (`%g` output like 1.225e+006). Finite only.
bool to_number(const std::string& text, double& out, std::string& why);
/// A whole number; `round_down` accepts a fraction and drops it (2.25 bathrooms → 2).
bool to_integer(const std::string& text, bool round_down, long long& out, std::string& why);
/// `YYYY-MM-DD`, `YYYYMMDD`, or either followed by a time (`20141013T000000`,
/// `2014-10-13T08:00:00Z`); the time is ignored. Out: `YYYY-MM-DD` of a real calendar day.
bool to_date(const std::string& text, std::string& out, std::string& why);
/// A date as above with an optional time `THHMMSS` / `THH:MM:SS[.fff]` and zone `Z` / `±HH:MM`
/// (none = UTC). Out: RFC 3339 `YYYY-MM-DDTHH:MM:SS` + the zone as given (`Z` when none).
bool to_timestamp(const std::string& text, std::string& out, std::string& why);
/// true/false, yes/no, y/n, 1/0 (any case).
bool to_boolean(const std::string& text, bool& out, std::string& why);

}  // namespace reos::listings
