// rets_digest_auth.hpp — HTTP authentication for RETS: Digest (RFC 2617 / RFC 7616 with
// MD5 and MD5-sess, qop=auth with nc and cnonce, or the RFC 2069 form without qop), Basic
// (RFC 7617), and the RETS-UA-Authorization header (RETS 1.7.2 §3.10).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rets {

struct DigestChallenge {
  std::string realm;
  std::string nonce;
  std::string opaque;
  std::string algorithm = "MD5";  ///< MD5 or MD5-sess
  bool qop_auth = false;          ///< the server offered qop="auth"
  bool stale = false;
};

/// The lowercase hex MD5 of `data` (OpenSSL EVP).
std::string md5_hex(std::string_view data);

/// Parses a WWW-Authenticate value ("Digest realm=\"x\", nonce=\"y\", qop=\"auth\"");
/// nullopt when it is not a Digest challenge or has no nonce.
std::optional<DigestChallenge> parse_digest_challenge(std::string_view header);

/// The "response" value of RFC 2617 §3.2.2.1.
std::string digest_response(const DigestChallenge& c, std::string_view user,
                            std::string_view password, std::string_view method,
                            std::string_view uri, std::uint32_t nc, std::string_view cnonce);

/// A complete Authorization header value ("Digest username=..., response=...").
std::string digest_authorization(const DigestChallenge& c, std::string_view user,
                                 std::string_view password, std::string_view method,
                                 std::string_view uri, std::uint32_t nc, std::string_view cnonce);

/// "Basic base64(user:password)".
std::string basic_authorization(std::string_view user, std::string_view password);

/// RETS-UA-Authorization: "Digest " + MD5(MD5(UserAgent:UAPassword):RequestID:SessionID:
/// RETS-Version).
std::string ua_authorization(std::string_view user_agent, std::string_view ua_password,
                             std::string_view request_id, std::string_view session_id,
                             std::string_view rets_version);

/// A fresh random client nonce (16 hex digits).
std::string make_cnonce();

}  // namespace rets
