#include "messaging/unsubscribe_token.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cctype>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <vector>

namespace reos::messaging {
namespace {

constexpr const char* kContext = "reos-unsubscribe-v1.";

std::string base64url(const unsigned char* data, std::size_t size) {
  std::string out(4 * ((size + 2) / 3) + 1, '\0');
  const int n =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
  out.resize(static_cast<std::size_t>(n));
  for (char& c : out) c = c == '+' ? '-' : c == '/' ? '_' : c;
  while (!out.empty() && out.back() == '=') out.pop_back();
  return out;
}

std::optional<std::string> from_base64url(std::string text) {
  for (char& c : text) {
    if (c == '-')
      c = '+';
    else if (c == '_')
      c = '/';
    else if (!std::isalnum(static_cast<unsigned char>(c)))
      return std::nullopt;
  }
  if (text.size() % 4 == 1) return std::nullopt;
  const std::size_t pad = (4 - text.size() % 4) % 4;
  text.append(pad, '=');
  std::string out(text.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  out.resize(static_cast<std::size_t>(n) - pad);
  return out;
}

std::string mac(const std::string& secret, const std::string& payload_part) {
  const std::string input = kContext + payload_part;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest, &length);
  return base64url(digest, length);
}

std::optional<nlohmann::json> claims_json(const std::string& token, std::string& payload_part,
                                          std::string& mac_part) {
  const auto dot = token.find('.');
  if (dot == std::string::npos || token.find('.', dot + 1) != std::string::npos) {
    return std::nullopt;
  }
  payload_part = token.substr(0, dot);
  mac_part = token.substr(dot + 1);
  const auto payload = from_base64url(payload_part);
  if (!payload) return std::nullopt;
  nlohmann::json j = nlohmann::json::parse(*payload, nullptr, false);
  if (!j.is_object() || !j.contains("t") || !j["t"].is_string()) return std::nullopt;
  return j;
}

}  // namespace

std::string sign_unsubscribe_token(const UnsubscribeClaims& claims, const std::string& secret) {
  if (secret.empty()) throw std::invalid_argument("unsubscribe token: empty secret");
  const std::string payload = nlohmann::json{
      {"t", claims.tenant},
      {"c", claims.channel},
      {"a", claims.address},
      {"m", claims.message_id},
      {"e", claims.expires_at}}.dump();
  const std::string part =
      base64url(reinterpret_cast<const unsigned char*>(payload.data()), payload.size());
  return part + "." + mac(secret, part);
}

std::optional<std::string> unsubscribe_token_tenant(const std::string& token) {
  std::string payload_part, mac_part;
  const auto j = claims_json(token, payload_part, mac_part);
  if (!j) return std::nullopt;
  return (*j)["t"].get<std::string>();
}

TokenCheck verify_unsubscribe_token(const std::string& token, const std::string& secret,
                                    std::int64_t now_unix, UnsubscribeClaims& claims) {
  std::string payload_part, mac_part;
  const auto j = claims_json(token, payload_part, mac_part);
  if (!j) return TokenCheck::malformed;
  if (secret.empty()) return TokenCheck::bad_signature;
  const std::string expected = mac(secret, payload_part);
  if (expected.size() != mac_part.size() ||
      CRYPTO_memcmp(expected.data(), mac_part.data(), expected.size()) != 0) {
    return TokenCheck::bad_signature;
  }
  if (!(*j).value("e", nlohmann::json()).is_number_integer() || !(*j)["c"].is_string() ||
      !(*j)["a"].is_string()) {
    return TokenCheck::malformed;
  }
  const std::int64_t expires = (*j)["e"].get<std::int64_t>();
  if (now_unix >= expires) return TokenCheck::expired;
  claims.tenant = (*j)["t"].get<std::string>();
  claims.channel = (*j)["c"].get<std::string>();
  claims.address = (*j)["a"].get<std::string>();
  claims.message_id = (*j).value("m", "");
  claims.expires_at = expires;
  return TokenCheck::valid;
}

}  // namespace reos::messaging
