// twilio_signature.hpp — X-Twilio-Signature: base64(HMAC-SHA1(auth token, URL + each POST
// parameter's key and value, sorted by key then value)). The traps, all handled here:
//   - Twilio signs the URL it called, which may or may not carry the scheme's default port
//     (443/80) or another port the proxy in front of us dropped: the URL is tried with the
//     default port added and with any port removed;
//   - a JSON body is not in the parameters: Twilio adds ?bodySHA256=<hex SHA-256 of the raw
//     body> to the URL, signs the URL alone, and the body's hash must match that parameter;
//   - comparisons are constant-time.
#pragma once

#include <string>
#include <string_view>

#include "form_encoding.hpp"

namespace twilio {

inline constexpr char kSignatureHeader[] = "X-Twilio-Signature";

/// The signature Twilio would send for `url` and POST `params` (params are sorted here).
std::string compute_signature(std::string_view auth_token, std::string_view url, FormParams params);

/// `url` with the scheme's default port added when it has none ("https://h/x" →
/// "https://h:443/x"), and `url` with any port removed.
std::string url_with_default_port(std::string_view url);
std::string url_without_port(std::string_view url);

/// Lowercase hex SHA-256 of `bytes`.
std::string sha256_hex(std::string_view bytes);

/// True when `signature` is valid for the request: a form body (its parameters are signed),
/// or any body when the URL carries bodySHA256 (then the URL alone is signed and the body's
/// hash must equal the parameter). `why` says what did not match.
bool validate_signature(std::string_view auth_token, std::string_view url, std::string_view body,
                        std::string_view signature, std::string& why);

}  // namespace twilio
