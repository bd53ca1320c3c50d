#pragma once

// RFC 4180 CSV text: CRLF line ends; a field holding a comma, quote, CR or LF is quoted with
// inner quotes doubled.

#include <optional>
#include <string>
#include <vector>

namespace reos::property_search {

/// One CSV field. NULL is the empty field. With `guard_formula`, a value starting with
/// = + - @ TAB or CR gets a leading apostrophe, so a spreadsheet shows it instead of
/// evaluating it (OWASP "CSV injection").
std::string csv_field(const std::optional<std::string>& value, bool guard_formula);

/// Appends `fields` (already made by csv_field) as one record ending in CRLF.
void append_csv_record(std::string& out, const std::vector<std::string>& fields);

}  // namespace reos::property_search
