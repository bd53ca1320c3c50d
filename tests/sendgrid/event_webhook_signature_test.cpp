// SendGrid Signed Event Webhook verification: the official SDK vectors
// (shared/testdata/vectors/sendgrid_eventwebhook.json) and signatures made by the openssl CLI
// with a fresh P-256 key.
#include "event_webhook_signature.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "openssl_cli.hpp"

using sendgrid::EventWebhookVerifier;

namespace {

nlohmann::json vectors() {
  std::ifstream in(std::string(REOS_VECTORS_DIR) + "/sendgrid_eventwebhook.json");
  EXPECT_TRUE(in) << "missing " << REOS_VECTORS_DIR;
  return nlohmann::json::parse(in);
}

const nlohmann::json& vector_named(const nlohmann::json& all, const std::string& name) {
  for (const auto& v : all.at("vectors"))
    if (v.at("name") == name) return v;
  throw std::runtime_error("no vector " + name);
}

std::string negative(const nlohmann::json& all, const std::string& name, const char* key) {
  for (const auto& v : all.at("negative_cases"))
    if (v.at("name") == name) return v.at(key);
  throw std::runtime_error("no negative case " + name);
}

}  // namespace

TEST(SendGridSignature, EveryOfficialVectorVerifies) {
  const auto all = vectors();
  ASSERT_EQ(all.at("vectors").size(), 3u);
  for (const auto& v : all.at("vectors")) {
    EventWebhookVerifier verifier(v.at("public_key").get<std::string>());
    EXPECT_EQ(verifier.verify(v.at("timestamp").get<std::string>(),
                              v.at("payload_exact").get<std::string>(),
                              v.at("signature").get<std::string>()),
              v.at("expected").get<bool>())
        << v.at("name");
  }
}

TEST(SendGridSignature, TheTrailingCrlfIsSignedSoStrippingItFails) {
  const auto all = vectors();
  for (const char* name : {"single_event_dropped_with_trailing_crlf",
                           "multi_event_processed_bounce_crlf_between_events"}) {
    const auto& v = vector_named(all, name);
    std::string payload = v.at("payload_exact");
    ASSERT_EQ(payload.substr(payload.size() - 2), "\r\n");
    payload.resize(payload.size() - 2);
    EventWebhookVerifier verifier(v.at("public_key").get<std::string>());
    EXPECT_FALSE(verifier.verify(v.at("timestamp").get<std::string>(), payload,
                                 v.at("signature").get<std::string>()))
        << name;
  }
}

TEST(SendGridSignature, OfficialNegativeCasesFail) {
  const auto all = vectors();
  const auto& v = vector_named(all, "single_event_dropped_with_trailing_crlf");
  const std::string key = v.at("public_key"), sig = v.at("signature"), ts = v.at("timestamp"),
                    payload = v.at("payload_exact");
  EXPECT_FALSE(
      EventWebhookVerifier(negative(all, "bad_key", "public_key")).verify(ts, payload, sig));
  EventWebhookVerifier verifier(key);
  EXPECT_FALSE(verifier.verify(ts, negative(all, "bad_payload", "payload_exact"), sig));
  EXPECT_FALSE(verifier.verify(ts, payload, negative(all, "bad_signature", "signature")));
  EXPECT_FALSE(verifier.verify(negative(all, "bad_timestamp", "timestamp"), payload, sig));
  EXPECT_FALSE(verifier.verify(ts, payload, "not base64!"));
  EXPECT_FALSE(verifier.verify(ts, payload, ""));
  // The legacy vector's signature differs from bad_signature in one character.
  const auto& legacy = vector_named(all, "legacy_single_object_no_crlf");
  EXPECT_FALSE(EventWebhookVerifier(legacy.at("public_key").get<std::string>())
                   .verify(legacy.at("timestamp").get<std::string>(),
                           legacy.at("payload_exact").get<std::string>(),
                           negative(all, "bad_signature", "signature")));
}

TEST(SendGridSignature, KeysThatAreNotP256PublicKeysAreRefusedWithAReason) {
  EXPECT_THROW(EventWebhookVerifier("%%%"), std::invalid_argument);
  EXPECT_THROW(EventWebhookVerifier("aGVsbG8gd29ybGQ="), std::invalid_argument);  // "hello world"
  reos::test::OpensslCli openssl;
  const std::string key = openssl.new_p256_key();
  // PEM armor, as copied from a terminal, is accepted.
  EXPECT_NO_THROW(EventWebhookVerifier("-----BEGIN PUBLIC KEY-----\n" + key.substr(0, 64) + "\n" +
                                       key.substr(64) + "\n-----END PUBLIC KEY-----\n"));
}

TEST(SendGridSignature, OpensslCliSignaturesWithAFreshKeyVerify) {
  reos::test::OpensslCli openssl;
  EventWebhookVerifier verifier(openssl.new_p256_key());
  const std::string ts = "1732500000";
  const std::string body =
      "[{\"event\":\"delivered\",\"sg_event_id\":\"e1\"},\r\n{\"event\":\"open\",\"sg_event_id\":"
      "\"e2\"}]\r\n";
  const std::string sig = openssl.ecdsa_sign(ts + body);
  EXPECT_TRUE(verifier.verify(ts, body, sig));
  EXPECT_FALSE(verifier.verify("1732500001", body, sig));
  EXPECT_FALSE(verifier.verify(ts, body.substr(0, body.size() - 2), sig));
  std::string altered = body;
  altered[12] = 'D';
  EXPECT_FALSE(verifier.verify(ts, altered, sig));
  // A second fresh key does not verify the first key's signature.
  reos::test::OpensslCli other;
  EXPECT_FALSE(EventWebhookVerifier(other.new_p256_key()).verify(ts, body, sig));
}
