#pragma once

// @mentions in note bodies (docs/contacts.md): `@jane` names the tenant member whose e-mail
// local part is "jane"; `@jane@example.com` names the member with that whole address. A
// mention starts at the beginning of the text or after a character that cannot end an
// e-mail address (so "bob@example.com" mentions no one); trailing dots are punctuation.

#include <string>
#include <vector>

namespace pqxx {
class transaction_base;
}

namespace reos::contacts {

/// The mention tokens of `body`, lowercased and de-duplicated, in order of appearance:
/// "jane" or "jane@example.com".
std::vector<std::string> mention_tokens(const std::string& body);

/// The user ids the tokens name among the members of the tenant `tx` acts for. Tokens that
/// name no member are ignored (an @ in prose); a local part shared by several members is a
/// 400 on `body` asking for the whole address.
std::vector<std::string> resolve_mentions(pqxx::transaction_base& tx,
                                          const std::vector<std::string>& tokens);

}  // namespace reos::contacts
