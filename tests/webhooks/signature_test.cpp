// The Standard Webhooks signature code against the published vector and the openssl CLI.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "signing.hpp"
#include "webhook_signature.hpp"

using namespace standard_webhooks;

namespace {

nlohmann::json vector_file() {
  std::ifstream in("/work/shared/testdata/vectors/standard_webhooks.json");
  EXPECT_TRUE(in) << "the Standard Webhooks vector file is missing";
  return nlohmann::json::parse(in);
}

}  // namespace

TEST(StandardWebhooksSignature, SignsThePublishedVector) {
  const auto v = vector_file();
  const auto key = decode_secret(v["secret"].get<std::string>());
  ASSERT_TRUE(key);
  EXPECT_EQ(key->size(), v["secret_key_bytes_len"].get<std::size_t>());
  EXPECT_EQ(sign(*key, v["webhook-id"].get<std::string>(),
                 v["webhook-timestamp"].get<std::string>(), v["payload_exact"].get<std::string>()),
            v["expected_webhook-signature"].get<std::string>());
}

TEST(StandardWebhooksSignature, VerifiesThePublishedVectorAndRejectsTampering) {
  const auto v = vector_file();
  const std::vector<std::string> keys = {*decode_secret(v["secret"].get<std::string>())};
  const std::string id = v["webhook-id"], ts = v["webhook-timestamp"], body = v["payload_exact"];
  const std::string sig = v["expected_webhook-signature"];
  EXPECT_TRUE(verify(keys, id, ts, body, sig));
  EXPECT_TRUE(verify(keys, id, ts, body, "v1a,abc " + sig));  // other schemes are skipped
  EXPECT_FALSE(verify(keys, id, ts, body + " ", sig));
  EXPECT_FALSE(verify(keys, id + "x", ts, body, sig));
  EXPECT_FALSE(verify(keys, id, "1614265331", body, sig));
  EXPECT_FALSE(verify(keys, id, ts, body, "v2," + sig.substr(3)));
  EXPECT_FALSE(verify(keys, id, ts, body, ""));
  EXPECT_FALSE(verify(keys, id, ts, body, "v1,"));
  EXPECT_FALSE(verify(keys, id, ts, body, sig.substr(0, sig.size() - 4)));  // truncated
}

TEST(StandardWebhooksSignature, AgreesWithTheOpensslCliOnFreshInput) {
  const std::string secret = reos::test::kSecretForCli;
  const std::string id = "msg_cli_1", ts = reos::test::timestamp_now();
  const std::string body =
      "{\"type\":\"contact.created\",\"data\":{\"name\":\"Zoë \\\"Q\\\"\"}}\r\n";
  const std::string expected = reos::test::openssl_signature(secret, id, ts, body);
  EXPECT_EQ(sign(*decode_secret(secret), id, ts, body), expected);
  EXPECT_TRUE(verify({*decode_secret(secret)}, id, ts, body, expected));
}

TEST(StandardWebhooksSignature, SeveralKeysAndSeveralSignaturesDuringRotation) {
  const std::string old_key = *decode_secret(reos::test::kSecretForCli);
  const std::string new_key = *decode_secret("whsec_bmV3LWtleS1ieXRlcy0xMjM0NTY3OA==");
  const std::string id = "msg_rot", ts = "1700000000", body = "{}";
  const std::string by_old = sign(old_key, id, ts, body), by_new = sign(new_key, id, ts, body);
  EXPECT_TRUE(verify({old_key, new_key}, id, ts, body, by_old));
  EXPECT_TRUE(verify({old_key, new_key}, id, ts, body, by_new));
  EXPECT_TRUE(verify({new_key}, id, ts, body, by_old + " " + by_new));
  EXPECT_FALSE(verify({new_key}, id, ts, body, by_old));
}

TEST(StandardWebhooksSignature, RejectsMalformedSecretsAndTimestamps) {
  EXPECT_FALSE(decode_secret("whsec_"));
  EXPECT_FALSE(decode_secret("whsec_not*base64"));
  EXPECT_FALSE(decode_secret("whsec_abc"));
  EXPECT_TRUE(decode_secret("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));  // the prefix is optional
  EXPECT_EQ(parse_timestamp("1614265330"), 1614265330LL);
  EXPECT_FALSE(parse_timestamp(""));
  EXPECT_FALSE(parse_timestamp("-5"));
  EXPECT_FALSE(parse_timestamp("16142653 30"));
  EXPECT_FALSE(parse_timestamp("1e9"));
}
