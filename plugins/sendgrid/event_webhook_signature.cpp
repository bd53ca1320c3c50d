// ECDSA P-256 verification of SendGrid event webhooks with OpenSSL's EVP interface.
#include "event_webhook_signature.hpp"

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <stdexcept>

#include "provider_support/base64_codec.hpp"

namespace sendgrid {

using provider_support::base64_decode;

namespace {

/// The base64 inside "-----BEGIN PUBLIC KEY-----" armor, or the text itself without armor.
std::string strip_pem_armor(std::string_view text) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t end = text.find('\n', i);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(i, end - i);
    if (line.rfind("-----", 0) != 0) out.append(line);
    i = end + 1;
  }
  return out;
}

struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const noexcept { EVP_MD_CTX_free(ctx); }
};

}  // namespace

void EventWebhookVerifier::KeyFree::operator()(EVP_PKEY* key) const noexcept {
  EVP_PKEY_free(key);
}

EventWebhookVerifier::EventWebhookVerifier(std::string_view public_key) {
  const auto der = base64_decode(strip_pem_armor(public_key));
  if (!der) throw std::invalid_argument("not base64 (expected the base64 DER public key)");
  const auto* p = reinterpret_cast<const unsigned char*>(der->data());
  key_.reset(d2i_PUBKEY(nullptr, &p, static_cast<long>(der->size())));
  if (!key_) throw std::invalid_argument("not a DER SubjectPublicKeyInfo public key");
  char group[64] = {0};
  size_t group_len = 0;
  if (!EVP_PKEY_is_a(key_.get(), "EC") ||
      EVP_PKEY_get_utf8_string_param(key_.get(), "group", group, sizeof group, &group_len) != 1 ||
      std::string_view(group, group_len) != "prime256v1")
    throw std::invalid_argument("not an ECDSA P-256 (prime256v1) public key");
}

EventWebhookVerifier::~EventWebhookVerifier() = default;

bool EventWebhookVerifier::verify(std::string_view timestamp, std::string_view body,
                                  std::string_view signature_base64) const {
  const auto signature = base64_decode(signature_base64);
  if (!signature || signature->empty()) return false;
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key_.get()) != 1 ||
      EVP_DigestVerifyUpdate(ctx.get(), timestamp.data(), timestamp.size()) != 1 ||
      EVP_DigestVerifyUpdate(ctx.get(), body.data(), body.size()) != 1)
    return false;
  return EVP_DigestVerifyFinal(ctx.get(), reinterpret_cast<const unsigned char*>(signature->data()),
                               signature->size()) == 1;
}

}  // namespace sendgrid
