// X-Twilio-Signature: the official vectors (shared/testdata/vectors/twilio_signature.json,
// from twilio-python's tests) including the port variants, repeated keys and bodySHA256, and
// HMAC-SHA1 computed independently by the openssl CLI.
#include "twilio_signature.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "openssl_cli.hpp"

using nlohmann::json;

namespace {

json vectors() {
  std::ifstream in(std::string(REOS_VECTORS_DIR) + "/twilio_signature.json");
  EXPECT_TRUE(in) << "missing " << REOS_VECTORS_DIR;
  return json::parse(in);
}

const json& vector_named(const json& all, const std::string& name) {
  for (const auto& v : all.at("vectors"))
    if (v.at("name") == name) return v;
  throw std::runtime_error("no vector " + name);
}

twilio::FormParams form_params(const json& all) {
  twilio::FormParams p;
  for (const auto& [k, v] : all.at("params_form").items()) p.emplace_back(k, v);
  return p;
}

std::string form_body(const json& all) {
  return twilio::encode_form(form_params(all));
}

}  // namespace

TEST(TwilioSignature, ComputesTheOfficialFormVector) {
  const json all = vectors();
  const json& v = vector_named(all, "compute_signature_form");
  EXPECT_EQ(twilio::compute_signature(all.at("auth_token").get<std::string>(),
                                      v.at("url").get<std::string>(), form_params(all)),
            v.at("expected"));
  std::string why;
  EXPECT_TRUE(twilio::validate_signature("12345", v.at("url").get<std::string>(), form_body(all),
                                         v.at("expected").get<std::string>(), why))
      << why;
}

TEST(TwilioSignature, PortVariantsAreAcceptedBothWays) {
  const json all = vectors();
  const std::string plain = "https://mycompany.com/myapp.php?foo=1&bar=2";
  std::string why;
  // Signed with :443, received without a port.
  EXPECT_TRUE(twilio::validate_signature(
      "12345", plain, form_body(all),
      vector_named(all, "https_with_port_443_signed").at("expected").get<std::string>(), why));
  // Signed with :80 over http, received without a port.
  EXPECT_TRUE(twilio::validate_signature(
      "12345", "http://mycompany.com/myapp.php?foo=1&bar=2", form_body(all),
      vector_named(all, "http_with_port_80_signed").at("expected").get<std::string>(), why));
  // Signed with a custom port and received with it.
  const json& custom = vector_named(all, "http_with_port_1234_signed");
  EXPECT_TRUE(twilio::validate_signature("12345", custom.at("url_signed").get<std::string>(),
                                         form_body(all), custom.at("expected").get<std::string>(),
                                         why));
  EXPECT_EQ(twilio::compute_signature("12345", custom.at("url_signed").get<std::string>(),
                                      form_params(all)),
            custom.at("expected"));
  // Received with a port the signer did not use: the port is stripped.
  const json& received = vector_named(all, "https_custom_port_1234_received");
  EXPECT_TRUE(twilio::validate_signature("12345", received.at("url_received").get<std::string>(),
                                         form_body(all), received.at("expected").get<std::string>(),
                                         why));
  // A wrong token or a changed parameter fails, with a reason.
  EXPECT_FALSE(twilio::validate_signature(
      "54321", plain, form_body(all),
      vector_named(all, "compute_signature_form").at("expected").get<std::string>(), why));
  EXPECT_NE(why.find("does not match"), std::string::npos);
  EXPECT_FALSE(twilio::validate_signature(
      "12345", plain, form_body(all) + "&Extra=1",
      vector_named(all, "compute_signature_form").at("expected").get<std::string>(), why));
}

TEST(TwilioSignature, UrlPortHelpers) {
  EXPECT_EQ(twilio::url_with_default_port("https://h.example/x?a=1"),
            "https://h.example:443/x?a=1");
  EXPECT_EQ(twilio::url_with_default_port("http://h.example"), "http://h.example:80");
  EXPECT_EQ(twilio::url_with_default_port("https://h.example:8443/x"), "https://h.example:8443/x");
  EXPECT_EQ(twilio::url_without_port("https://u:p@h.example:8443/x"), "https://u:p@h.example/x");
  EXPECT_EQ(twilio::url_without_port("https://[::1]:8443/x"), "https://[::1]/x");
  EXPECT_EQ(twilio::url_without_port("https://[::1]/x"), "https://[::1]/x");
}

TEST(TwilioSignature, RepeatedKeysAreSortedByKeyThenValue) {
  const json all = vectors();
  const json& v = vector_named(all, "duplicate_keys");
  twilio::FormParams params;
  for (const auto& pair : v.at("params_ordered_pairs")) params.emplace_back(pair[0], pair[1]);
  EXPECT_EQ(twilio::compute_signature("12345", v.at("url").get<std::string>(), params),
            v.at("expected"));
  std::string why;
  EXPECT_TRUE(twilio::validate_signature("12345", v.at("url").get<std::string>(),
                                         twilio::encode_form(params),
                                         v.at("expected").get<std::string>(), why))
      << why;
}

TEST(TwilioSignature, JsonBodyIsCheckedThroughBodySha256) {
  const json all = vectors();
  const json& v = vector_named(all, "json_body_bodySHA256");
  const std::string body = v.at("body_exact");
  EXPECT_EQ(twilio::sha256_hex(body), v.at("body_sha256_hex"));
  std::string why;
  EXPECT_TRUE(twilio::validate_signature("12345", v.at("url").get<std::string>(), body,
                                         v.at("expected").get<std::string>(), why))
      << why;
  // The signature stays valid for the URL, but the body no longer matches its hash.
  EXPECT_FALSE(twilio::validate_signature("12345", v.at("url").get<std::string>(), body + " ",
                                          v.at("expected").get<std::string>(), why));
  EXPECT_EQ(why, "the body's SHA-256 does not match the bodySHA256 URL parameter");
}

TEST(TwilioSignature, OpensslHmacSha1AgreesAndValidates) {
  reos::test::OpensslCli openssl;
  const std::string token = "f3a1c0ffee0123456789abcdef012345";
  const std::string url = "https://hub.example/webhooks/acme/twilio?reos_message_id=m-7";
  const twilio::FormParams params = {{"MessageSid", "SM1"},
                                     {"MessageStatus", "delivered"},
                                     {"To", "+12065550100"},
                                     {"AccountSid", "AC1"}};
  // What Twilio signs: the URL, then the parameters sorted by name, each name then value.
  const std::string signed_text =
      url + "AccountSidAC1MessageSidSM1MessageStatusdeliveredTo+12065550100";
  const std::string expected = openssl.hmac_sha1(token, signed_text);
  EXPECT_EQ(twilio::compute_signature(token, url, params), expected);
  std::string why;
  EXPECT_TRUE(twilio::validate_signature(token, url, twilio::encode_form(params), expected, why));
  EXPECT_FALSE(twilio::validate_signature(token, url, twilio::encode_form(params), "", why));
  EXPECT_EQ(why, "missing header X-Twilio-Signature");
}
