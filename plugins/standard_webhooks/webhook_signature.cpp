#include "webhook_signature.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace standard_webhooks {
namespace {

constexpr std::string_view kSecretPrefix = "whsec_";

std::optional<std::string> base64_decode(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0) return std::nullopt;
  std::string out(text.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  // EVP_DecodeBlock counts the padding as zero bytes; drop them.
  std::size_t len = static_cast<std::size_t>(n);
  if (text.back() == '=') --len;
  if (text[text.size() - 2] == '=') --len;
  out.resize(len);
  return out;
}

std::string base64_encode(const unsigned char* data, std::size_t len) {
  std::string out(4 * ((len + 2) / 3), '\0');
  const int n =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(len));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::string hmac_sha256(std::string_view key, std::string_view id, std::string_view timestamp,
                        std::string_view body) {
  std::string content;
  content.reserve(id.size() + timestamp.size() + body.size() + 2);
  content.append(id).append(".").append(timestamp).append(".").append(body);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(content.data()), content.size(), mac, &mac_len);
  return std::string(reinterpret_cast<const char*>(mac), mac_len);
}

}  // namespace

std::optional<std::string> decode_secret(std::string_view secret) {
  if (secret.substr(0, kSecretPrefix.size()) == kSecretPrefix) {
    secret.remove_prefix(kSecretPrefix.size());
  }
  auto key = base64_decode(secret);
  if (!key || key->empty()) return std::nullopt;
  return key;
}

std::string sign(std::string_view key, std::string_view id, std::string_view timestamp,
                 std::string_view body) {
  const std::string mac = hmac_sha256(key, id, timestamp, body);
  return "v1," + base64_encode(reinterpret_cast<const unsigned char*>(mac.data()), mac.size());
}

bool verify(const std::vector<std::string>& keys, std::string_view id, std::string_view timestamp,
            std::string_view body, std::string_view signature_header) {
  std::vector<std::string> expected;
  expected.reserve(keys.size());
  for (const std::string& key : keys) expected.push_back(hmac_sha256(key, id, timestamp, body));
  bool match = false;
  std::size_t at = 0;
  while (at < signature_header.size()) {
    std::size_t end = signature_header.find(' ', at);
    if (end == std::string_view::npos) end = signature_header.size();
    const std::string_view entry = signature_header.substr(at, end - at);
    at = end + 1;
    if (entry.substr(0, 3) != "v1,") continue;  // another scheme (v1a, …) or empty
    const auto given = base64_decode(entry.substr(3));
    if (!given) continue;
    for (const std::string& mac : expected) {
      // Every candidate is compared in full (no early exit on a match): the time taken does
      // not tell an attacker which entry or key came close.
      if (given->size() == mac.size() &&
          CRYPTO_memcmp(given->data(), mac.data(), mac.size()) == 0) {
        match = true;
      }
    }
  }
  return match;
}

std::optional<long long> parse_timestamp(std::string_view text) {
  if (text.empty() || text.size() > 12) return std::nullopt;
  long long value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace standard_webhooks
