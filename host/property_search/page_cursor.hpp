#pragma once

// Opaque keyset cursors for the REST API's listings (properties, contacts, notes, tasks).
// A cursor is the base64url text of a JSON array of strings (and nulls): the sort it belongs
// to followed by the sort values of the last row served. Clients must treat it as opaque;
// the server checks its shape and answers 400 `query.cursor` for anything it did not make.

#include <optional>
#include <string>
#include <vector>

namespace reos::property_search {

/// The decoded parts of a cursor, in order; nullopt stands for a SQL NULL sort value.
using CursorParts = std::vector<std::optional<std::string>>;

/// Encodes `parts` as an opaque cursor (URL-safe, no padding).
std::string encode_cursor(const CursorParts& parts);

/// Decodes a cursor made by encode_cursor; nullopt when `text` is not one.
std::optional<CursorParts> decode_cursor(const std::string& text);

}  // namespace reos::property_search
