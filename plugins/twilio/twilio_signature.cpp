// X-Twilio-Signature computation and validation (HMAC-SHA1 / SHA-256 from OpenSSL).
#include "twilio_signature.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cctype>

#include "provider_support/base64_codec.hpp"

namespace twilio {

using provider_support::base64_encode;

namespace {

/// Where the authority of `url` starts and ends, and where its port's ':' is (npos: none).
struct Authority {
  std::size_t begin = std::string_view::npos, end = 0, colon = std::string_view::npos;
};

Authority find_authority(std::string_view url) {
  Authority a;
  const std::size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return a;
  a.begin = scheme + 3;
  a.end = url.find_first_of("/?#", a.begin);
  if (a.end == std::string_view::npos) a.end = url.size();
  const std::string_view auth = url.substr(a.begin, a.end - a.begin);
  const std::size_t at = auth.rfind('@');
  const std::size_t host = at == std::string_view::npos ? 0 : at + 1;
  const std::size_t bracket = auth.rfind(']');  // an IPv6 literal has colons of its own
  const std::size_t colon = auth.rfind(':');
  if (colon != std::string_view::npos && colon >= host &&
      (bracket == std::string_view::npos || colon > bracket))
    a.colon = a.begin + colon;
  return a;
}

bool same(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

std::string compute_signature(std::string_view auth_token, std::string_view url,
                              FormParams params) {
  std::sort(params.begin(), params.end());  // by key, then a repeated key's values
  std::string data(url);
  for (const auto& [key, value] : params) data += key + value;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  HMAC(EVP_sha1(), auth_token.data(), static_cast<int>(auth_token.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &mac_len);
  return base64_encode(std::string_view(reinterpret_cast<const char*>(mac), mac_len));
}

std::string url_with_default_port(std::string_view url) {
  const Authority a = find_authority(url);
  if (a.begin == std::string_view::npos || a.colon != std::string_view::npos)
    return std::string(url);
  const bool https = url.rfind("https://", 0) == 0;
  return std::string(url.substr(0, a.end)) + (https ? ":443" : ":80") +
         std::string(url.substr(a.end));
}

std::string url_without_port(std::string_view url) {
  const Authority a = find_authority(url);
  if (a.begin == std::string_view::npos || a.colon == std::string_view::npos)
    return std::string(url);
  return std::string(url.substr(0, a.colon)) + std::string(url.substr(a.end));
}

std::string sha256_hex(std::string_view bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;
  EVP_Digest(bytes.data(), bytes.size(), md, &md_len, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < md_len; ++i) {
    out.push_back(kHex[md[i] >> 4]);
    out.push_back(kHex[md[i] & 15]);
  }
  return out;
}

bool validate_signature(std::string_view auth_token, std::string_view url, std::string_view body,
                        std::string_view signature, std::string& why) {
  if (signature.empty()) {
    why = std::string("missing header ") + kSignatureHeader;
    return false;
  }
  FormParams params;
  const std::string body_hash = form_value(parse_form(url_query(url)), "bodySHA256");
  if (!body_hash.empty()) {
    std::string lower = body_hash;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (!same(sha256_hex(body), lower)) {
      why = "the body's SHA-256 does not match the bodySHA256 URL parameter";
      return false;
    }
  } else {
    params = parse_form(body);
  }
  // Compute both variants before comparing, so timing does not tell which one was close.
  const bool with_port =
      same(compute_signature(auth_token, url_with_default_port(url), params), signature);
  const bool without_port =
      same(compute_signature(auth_token, url_without_port(url), params), signature);
  if (with_port || without_port) return true;
  why =
      "X-Twilio-Signature does not match (check auth_token and that the public URL is the one "
      "configured at Twilio, query string included)";
  return false;
}

}  // namespace twilio
