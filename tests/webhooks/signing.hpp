#pragma once

// Standard Webhooks headers for the tests: signed with the plugin's own code (checked against
// the published vector and the openssl CLI in signature_test.cpp), or with the openssl CLI.

#include <ctime>
#include <string>
#include <vector>

namespace reos::test {

/// A secret for checks against the openssl CLI (base64 of 32 arbitrary bytes).
inline constexpr const char* kSecretForCli = "whsec_3q2+78r+ur4BAgMEBQYHCAkKCwwNDg8QERITFBUWFxg=";

/// Seconds since the epoch, as text, `offset_s` from now.
std::string timestamp_now(long offset_s = 0);

/// "v1,<base64>" computed by `openssl dgst -sha256 -mac HMAC` (an independent implementation).
std::string openssl_signature(const std::string& whsec, const std::string& id,
                              const std::string& timestamp, const std::string& body);

/// The three headers ("Name: value") for `body`, signed with `whsec` by the plugin's code.
std::vector<std::string> signed_headers(const std::string& whsec, const std::string& id,
                                        const std::string& body, long offset_s = 0);

}  // namespace reos::test
