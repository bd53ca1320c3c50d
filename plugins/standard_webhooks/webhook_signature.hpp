#pragma once

// The Standard Webhooks v1 signature (https://www.standardwebhooks.com/, spec
// standard-webhooks.md): base64(HMAC-SHA256(key, id "." timestamp "." body)), sent as
// "v1,<signature>" entries separated by spaces in the `webhook-signature` header.
// No reos types here, so the tests compile this file on its own against the vectors.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace standard_webhooks {

/// Decodes a `whsec_<base64>` secret (the prefix is optional) into the HMAC key bytes;
/// nullopt when the base64 is malformed or the key is empty.
std::optional<std::string> decode_secret(std::string_view secret);

/// "v1,<base64 HMAC-SHA256 of id.timestamp.body>" for `key` (raw bytes).
std::string sign(std::string_view key, std::string_view id, std::string_view timestamp,
                 std::string_view body);

/// True when any "v1,<sig>" entry of `signature_header` matches the signature made with any
/// of `keys` (several entries and several keys exist during a key rotation). Entries of other
/// versions are ignored. Comparisons are constant-time in the signature bytes.
bool verify(const std::vector<std::string>& keys, std::string_view id, std::string_view timestamp,
            std::string_view body, std::string_view signature_header);

/// The webhook-timestamp as seconds since the epoch; nullopt unless it is 1 to 12 ASCII digits.
std::optional<long long> parse_timestamp(std::string_view text);

}  // namespace standard_webhooks
