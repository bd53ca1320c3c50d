#pragma once

// Recipient addresses in the one form messages and suppressions store, so "Ann@Example.com "
// and "ann@example.com" are the same suppressed address, and "+1 (206) 555-0100" is
// "+12065550100".

#include <string>

namespace reos::messaging {

/// Email: trimmed and lowercased; must be local@domain (one @, both parts non-empty) with no
/// spaces. SMS: E.164 — '+' then 8 to 15 digits; spaces, dashes, dots and parentheses are
/// dropped. Returns "" when `address` is not a valid address of `channel` ("email"/"sms").
std::string normalize_address(const std::string& channel, const std::string& address);

}  // namespace reos::messaging
