#pragma once

// Password storage with argon2id (RFC 9106) through libargon2. Parameters follow the OWASP
// Password Storage Cheat Sheet's first argon2id option: m = 19 MiB, t = 2, p = 1 (about
// 20-40 ms per hash on this class of machine: slow for an attacker with a stolen table,
// cheap enough for a login endpoint). The parameters are stored in the encoded string
// ($argon2id$v=19$m=19456,t=2,p=1$salt$hash), so raising them later keeps old hashes valid.

#include <string>

namespace reos::auth {

/// The encoded argon2id hash of `password` with a fresh 16-byte random salt.
/// Throws std::runtime_error when libargon2 fails (out of memory).
std::string hash_password(const std::string& password);

/// True when `password` matches `encoded` (an argon2id string); false for any other encoded
/// form (a NULL/empty hash never matches).
bool verify_password(const std::string& password, const std::string& encoded);

/// Runs one verification against a fixed hash so a login for an unknown email takes as long
/// as one for a known email (no user enumeration by timing).
void burn_password_check(const std::string& password);

}  // namespace reos::auth
