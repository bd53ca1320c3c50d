// event_webhook_signature.hpp — SendGrid's Signed Event Webhook: an ECDSA P-256 / SHA-256
// signature (base64 of DER) over the UTF-8 bytes of the timestamp header followed by the raw
// request body. The trap: the body is signed byte for byte, including the CRLF SendGrid puts
// between events and at the end; parsing and re-serializing the JSON breaks it.
#pragma once

#include <memory>
#include <string>
#include <string_view>

typedef struct evp_pkey_st EVP_PKEY;

namespace sendgrid {

/// Header names SendGrid uses (matched case-insensitively).
inline constexpr char kSignatureHeader[] = "X-Twilio-Email-Event-Webhook-Signature";
inline constexpr char kTimestampHeader[] = "X-Twilio-Email-Event-Webhook-Timestamp";

/// Verifies signatures against one verification key. Immutable after construction, so one
/// verifier may be used from several threads at once.
class EventWebhookVerifier {
 public:
  /// `public_key` is what SendGrid shows in its settings: base64 of a DER
  /// SubjectPublicKeyInfo; PEM armor around it is tolerated. Throws std::invalid_argument
  /// naming the problem when it is not a P-256 public key.
  explicit EventWebhookVerifier(std::string_view public_key);
  ~EventWebhookVerifier();
  EventWebhookVerifier(const EventWebhookVerifier&) = delete;
  EventWebhookVerifier& operator=(const EventWebhookVerifier&) = delete;

  /// True when `signature_base64` is a valid signature of timestamp || body.
  bool verify(std::string_view timestamp, std::string_view body,
              std::string_view signature_base64) const;

 private:
  struct KeyFree {
    void operator()(EVP_PKEY* key) const noexcept;
  };
  std::unique_ptr<EVP_PKEY, KeyFree> key_;
};

}  // namespace sendgrid
