#pragma once

// Random secrets (refresh tokens, API keys) and their SHA-256 digests. Only digests are
// stored: a high-entropy secret needs no slow hash, and a lookup by digest stays one index scan.

#include <string>

namespace reos::auth {

/// `bytes` random bytes from OpenSSL's CSPRNG, as lowercase hex (2 × bytes characters).
std::string random_hex(std::size_t bytes);
/// The raw 32-byte SHA-256 digest of `text`.
std::string sha256(const std::string& text);
/// sha256() as lowercase hex (what SQL compares with encode(…, 'hex') / decode($1, 'hex')).
std::string sha256_hex(const std::string& text);
/// Constant-time equality of two equally long byte strings (false when lengths differ).
bool digests_equal(const std::string& a, const std::string& b);

}  // namespace reos::auth
