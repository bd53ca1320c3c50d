// JwtCodec against the RFC 7515 A.1 / RFC 7519 3.1 vector in /work/shared/testdata and
// tokens built by hand for the attacks RFC 8725 lists.
#include "auth/jwt_codec.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

namespace reos::auth {
namespace {

using nlohmann::json;
using std::chrono::seconds;
using std::chrono::system_clock;

json vectors() {
  std::ifstream in(std::string(REOS_SOURCE_DIR) + "/../shared/testdata/vectors/jwt.json");
  EXPECT_TRUE(in.good()) << "missing ../shared/testdata/vectors/jwt.json";
  return json::parse(in);
}

std::string unhex(const std::string& hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  }
  return out;
}

Clock at(long epoch) {
  return [epoch] { return system_clock::time_point(seconds(epoch)); };
}

// The RFC's key, with the kid our configuration would give it.
JwtCodec rfc_codec(Clock clock) {
  const json v = vectors();
  return JwtCodec({{"rfc", unhex(v["key_hex"].get<std::string>())}}, seconds(30), std::move(clock));
}

TEST(JwtRfcVector, VerifiesWithAClockBeforeExpiry) {
  const json v = vectors();
  const long exp = v["claims"]["exp"].get<long>();
  const JwtResult r = rfc_codec(at(exp - 60)).verify(v["token"].get<std::string>());
  ASSERT_FALSE(r.error) << to_string(*r.error);
  const json claims = json::parse(r.claims_json);
  EXPECT_EQ(claims["iss"], "joe");
  EXPECT_EQ(claims["http://example.com/is_root"], true);
}

TEST(JwtRfcVector, LeewayAllowsAFewSecondsPastExpiryButNoMore) {
  const json v = vectors();
  const long exp = v["claims"]["exp"].get<long>();
  EXPECT_FALSE(rfc_codec(at(exp + 29)).verify(v["token"].get<std::string>()).error);
  const JwtResult late = rfc_codec(at(exp + 31)).verify(v["token"].get<std::string>());
  ASSERT_TRUE(late.error);
  EXPECT_EQ(*late.error, JwtError::expired);
}

TEST(JwtRfcVector, RealClockRejectsItAsExpired) {
  const json v = vectors();
  const JwtResult r = rfc_codec({}).verify(v["token"].get<std::string>());
  ASSERT_TRUE(r.error);
  EXPECT_EQ(*r.error, JwtError::expired);
}

TEST(JwtRfcVector, NegativeVectorsAreRejected) {
  const json v = vectors();
  const long exp = v["claims"]["exp"].get<long>();
  const JwtCodec codec = rfc_codec(at(exp - 60));
  for (const json& neg : v["negative_vectors"]) {
    const std::string name = neg["name"].get<std::string>();
    if (name == "wrong_key") {
      const JwtCodec wrong({{"rfc", neg["key_utf8"].get<std::string>()}}, seconds(30), at(exp - 60),
                           /*allow_short_keys=*/true);
      EXPECT_TRUE(wrong.verify(neg["token"].get<std::string>()).error) << name;
    } else {
      EXPECT_TRUE(codec.verify(neg["token"].get<std::string>()).error) << name;
    }
  }
}

TEST(JwtRfcVector, AlgNoneIsABadAlgorithm) {
  const json v = vectors();
  const JwtCodec codec = rfc_codec(at(v["claims"]["exp"].get<long>() - 60));
  const JwtResult r = codec.verify(v["negative_vectors"][0]["token"].get<std::string>());
  ASSERT_TRUE(r.error);
  EXPECT_EQ(*r.error, JwtError::bad_algorithm);
}

const std::string kKeyA = "key-a-0123456789abcdef0123456789abcdef";
const std::string kKeyB = "key-b-0123456789abcdef0123456789abcdef";

std::string claims_at(long now, long ttl) {
  return json{{"sub", "u1"}, {"iat", now}, {"nbf", now}, {"exp", now + ttl}}.dump();
}

TEST(JwtCodec, SignsWithTheFirstKeyAndNamesItsKid) {
  const JwtCodec codec({{"a", kKeyA}, {"b", kKeyB}}, seconds(30), at(1000));
  const std::string token = codec.sign(claims_at(1000, 900));
  const JwtResult r = codec.verify(token, {"sub"});
  ASSERT_FALSE(r.error) << to_string(*r.error);
  EXPECT_EQ(r.kid, "a");
}

TEST(JwtCodec, RotationOldKeyStillVerifiesUntilRemoved) {
  const JwtCodec old_signer({{"a", kKeyA}}, seconds(30), at(1000));
  const std::string token = old_signer.sign(claims_at(1000, 900));
  const JwtCodec rotated({{"b", kKeyB}, {"a", kKeyA}}, seconds(30), at(1000));
  EXPECT_FALSE(rotated.verify(token).error);
  const JwtCodec retired({{"b", kKeyB}}, seconds(30), at(1000));
  const JwtResult r = retired.verify(token);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(*r.error, JwtError::unknown_key);
}

TEST(JwtCodec, AKidPointingAtTheWrongSecretFails) {
  const JwtCodec signer({{"a", kKeyA}}, seconds(30), at(1000));
  const JwtCodec verifier({{"a", kKeyB}}, seconds(30), at(1000));
  const JwtResult r = verifier.verify(signer.sign(claims_at(1000, 900)));
  ASSERT_TRUE(r.error);
  EXPECT_EQ(*r.error, JwtError::bad_signature);
}

TEST(JwtCodec, NotYetValidAndIssuedInTheFuture) {
  const JwtCodec signer({{"a", kKeyA}}, seconds(30), at(5000));
  const std::string token = signer.sign(claims_at(5000, 900));
  const JwtCodec early({{"a", kKeyA}}, seconds(30), at(5000 - 31));
  const JwtResult r = early.verify(token);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(*r.error, JwtError::not_yet_valid);
  const JwtCodec slightly_early({{"a", kKeyA}}, seconds(30), at(5000 - 29));
  EXPECT_FALSE(slightly_early.verify(token).error);
  const std::string future_iat =
      signer.sign(json{{"sub", "u"}, {"iat", 9000}, {"exp", 9900}}.dump());
  const JwtResult r2 = signer.verify(future_iat);
  ASSERT_TRUE(r2.error);
  EXPECT_EQ(*r2.error, JwtError::issued_in_future);
}

TEST(JwtCodec, TamperedPayloadFails) {
  const JwtCodec codec({{"a", kKeyA}}, seconds(30), at(1000));
  const std::string token = codec.sign(claims_at(1000, 900));
  const std::size_t dot1 = token.find('.');
  const std::size_t dot2 = token.find('.', dot1 + 1);
  const std::string forged_payload =
      base64url_encode(json{{"sub", "admin"}, {"iat", 1000}, {"exp", 99999}}.dump());
  const std::string forged = token.substr(0, dot1 + 1) + forged_payload + token.substr(dot2);
  const JwtResult r = codec.verify(forged);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(*r.error, JwtError::bad_signature);
}

// Algorithm confusion: a header claiming another algorithm (here HS512, and RS256 whose
// "public key" an attacker would pass as the HMAC secret) is refused before any check.
TEST(JwtCodec, OtherAlgorithmsAreRefused) {
  const JwtCodec codec({{"a", kKeyA}}, seconds(30), at(1000));
  for (const char* alg : {"HS512", "RS256", "none", "NONE"}) {
    const std::string header = base64url_encode(json{{"alg", alg}, {"kid", "a"}}.dump());
    const std::string payload = base64url_encode(claims_at(1000, 900));
    const std::string token = header + "." + payload + "." + base64url_encode(std::string(32, 'x'));
    const JwtResult r = codec.verify(token);
    ASSERT_TRUE(r.error) << alg;
    EXPECT_EQ(*r.error, JwtError::bad_algorithm) << alg;
  }
}

TEST(JwtCodec, MissingRequiredClaimAndGarbage) {
  const JwtCodec codec({{"a", kKeyA}}, seconds(30), at(1000));
  const JwtResult r = codec.verify(codec.sign(claims_at(1000, 900)), {"tid"});
  ASSERT_TRUE(r.error);
  EXPECT_EQ(*r.error, JwtError::missing_claim);
  for (const char* bad : {"", "abc", "a.b", "a.b.c.d", "!!.??.**"}) {
    EXPECT_TRUE(codec.verify(bad).error) << bad;
  }
}

TEST(JwtCodec, ShortKeysAreRefusedAtConfiguration) {
  EXPECT_THROW(JwtCodec({{"a", "short"}}, seconds(30)), std::invalid_argument);
  EXPECT_THROW(JwtCodec({}, seconds(30)), std::invalid_argument);
}

TEST(Base64Url, StrictDecoding) {
  EXPECT_EQ(base64url_decode("aGk").value(), "hi");
  EXPECT_FALSE(base64url_decode("aGl"));   // non-zero unused bits
  EXPECT_FALSE(base64url_decode("aGk="));  // padding
  EXPECT_FALSE(base64url_decode("a+/A"));  // not the URL alphabet
  EXPECT_EQ(base64url_encode("hi"), "aGk");
}

}  // namespace
}  // namespace reos::auth
