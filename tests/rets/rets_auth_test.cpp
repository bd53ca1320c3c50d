// Digest (RFC 2617 §3.5 vector), Basic, RETS-UA-Authorization, URL helpers, cookies and
// settings of the rets plugin.
#include <gtest/gtest.h>

#include <reos/plugin.hpp>

#include "rets_compact_parser.hpp"
#include "rets_digest_auth.hpp"
#include "rets_login.hpp"
#include "rets_object.hpp"
#include "rets_session.hpp"
#include "rets_settings.hpp"

TEST(RetsDigest, Rfc2617Section35Example) {
  const auto c = rets::parse_digest_challenge(
      "Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", "
      "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->realm, "testrealm@host.com");
  EXPECT_EQ(c->nonce, "dcd98b7102dd2f0e8b11d0f600bfb0c093");
  EXPECT_EQ(c->opaque, "5ccc069c403ebaf9f0171e9517f40e41");
  EXPECT_TRUE(c->qop_auth);
  EXPECT_EQ(rets::digest_response(*c, "Mufasa", "Circle Of Life", "GET", "/dir/index.html", 1,
                                  "0a4f113b"),
            "6629fae49393a05397450978507c4ef1");
  const std::string h = rets::digest_authorization(*c, "Mufasa", "Circle Of Life", "GET",
                                                   "/dir/index.html", 1, "0a4f113b");
  EXPECT_EQ(h,
            "Digest username=\"Mufasa\", realm=\"testrealm@host.com\", "
            "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"/dir/index.html\", "
            "response=\"6629fae49393a05397450978507c4ef1\", "
            "opaque=\"5ccc069c403ebaf9f0171e9517f40e41\", qop=auth, nc=00000001, "
            "cnonce=\"0a4f113b\"");
}

TEST(RetsDigest, ChallengeVariants) {
  EXPECT_FALSE(rets::parse_digest_challenge("Basic realm=\"x\""));
  EXPECT_FALSE(rets::parse_digest_challenge("Digest realm=\"x\""));  // no nonce
  const auto c = rets::parse_digest_challenge(
      "digest realm=\"a, b\",nonce=abc, algorithm=MD5-sess, stale=TRUE");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->realm, "a, b");
  EXPECT_EQ(c->nonce, "abc");
  EXPECT_EQ(c->algorithm, "MD5-sess");
  EXPECT_TRUE(c->stale);
  EXPECT_FALSE(c->qop_auth);
  // RFC 2069 form (no qop): MD5(HA1:nonce:HA2).
  rets::DigestChallenge plain;
  plain.realm = "r";
  plain.nonce = "n";
  const std::string ha1 = rets::md5_hex("u:r:p"), ha2 = rets::md5_hex("GET:/x");
  EXPECT_EQ(rets::digest_response(plain, "u", "p", "GET", "/x", 1, "c"),
            rets::md5_hex(ha1 + ":n:" + ha2));
  EXPECT_EQ(rets::md5_hex(""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(rets::make_cnonce().size(), 16u);
  EXPECT_NE(rets::make_cnonce(), rets::make_cnonce());
}

TEST(RetsAuth, BasicAndUaAuthorization) {
  EXPECT_EQ(rets::basic_authorization("Aladdin", "open sesame"),
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
  const std::string a1 = rets::md5_hex("MyAgent/1.0:uapass");
  EXPECT_EQ(rets::ua_authorization("MyAgent/1.0", "uapass", "", "sess1", "RETS/1.7.2"),
            "Digest " + rets::md5_hex(a1 + "::sess1:RETS/1.7.2"));
}

TEST(RetsLogin, UrlResolution) {
  EXPECT_EQ(rets::resolve_url("http://h:6103/rets/login", "/rets/search"),
            "http://h:6103/rets/search");
  EXPECT_EQ(rets::resolve_url("https://h/a/b/Login.ashx?x=1", "Search.ashx"),
            "https://h/a/b/Search.ashx");
  EXPECT_EQ(rets::resolve_url("https://h", "Search"), "https://h/Search");
  EXPECT_EQ(rets::resolve_url("http://h/login", "https://other/Search"), "https://other/Search");
  EXPECT_EQ(rets::request_uri("http://h:1/rets/Search?a=1&b=2"), "/rets/Search?a=1&b=2");
  EXPECT_EQ(rets::request_uri("http://h:1"), "/");
  EXPECT_EQ(rets::url_encode("(ModificationTimestamp=2014-01-01T00:00:00+)"),
            "%28ModificationTimestamp%3D2014-01-01T00%3A00%3A00%2B%29");
}

TEST(RetsSession, CookiesFromSetCookieHeaders) {
  rets::CookieJar jar;
  EXPECT_EQ(jar.header(), "");
  jar.set_cookie("JSESSIONID=33BE073BF071E1B736C58C1517E5F377.rets3; Path=/rets2_1");
  jar.set_cookie("RETS-Session-ID=abc123; path=/; HttpOnly");
  EXPECT_EQ(jar.get("RETS-Session-ID"), "abc123");
  EXPECT_EQ(jar.header(),
            "JSESSIONID=33BE073BF071E1B736C58C1517E5F377.rets3; RETS-Session-ID=abc123");
  jar.set_cookie("RETS-Session-ID=def; Path=/");
  EXPECT_EQ(jar.get("RETS-Session-ID"), "def");
  jar.set_cookie("JSESSIONID=gone; Max-Age=0");
  EXPECT_EQ(jar.header(), "RETS-Session-ID=def");
  jar.set_cookie("garbage");
  EXPECT_EQ(jar.header(), "RETS-Session-ID=def");
}

TEST(RetsSettings, DefaultsAndRefusals) {
  const auto s = rets::parse_settings(nlohmann::json::parse(
      R"({"login_url":"http://h/rets/login","username":"u","password":"${P}","class":"RES"})"));
  EXPECT_EQ(s.limit, 2500);
  EXPECT_EQ(s.format, "COMPACT-DECODED");
  EXPECT_EQ(s.rets_version, "RETS/1.7.2");
  EXPECT_EQ(s.resource, "Property");
  EXPECT_EQ(s.timestamp_field, "ModificationTimestamp");
  auto refused = [](const char* text) -> std::string {
    try {
      rets::parse_settings(nlohmann::json::parse(text));
    } catch (const reos::Invalid& e) {
      return e.what();
    }
    return "accepted";
  };
  EXPECT_EQ(refused(R"({"username":"u","password":"p","class":"RES"})"),
            "settings.login_url: is required");
  EXPECT_EQ(refused(R"({"login_url":"ftp://h","username":"u","password":"p","class":"RES"})"),
            "settings.login_url: expected an absolute http:// or https:// URL");
  EXPECT_EQ(
      refused(R"({"login_url":"http://h","username":"u","password":"p","class":"R","limit":0})"),
      "settings.limit: expected an integer from 1 to 100000");
  EXPECT_EQ(refused(R"({"login_url":"http://h","username":"u","password":"p","class":"R","x":1})"),
            "settings.x: unknown key");
  EXPECT_EQ(
      refused(
          R"({"login_url":"http://h","username":"u","password":"p","class":"R","format":"XML"})"),
      "settings.format: expected COMPACT-DECODED or COMPACT");
  EXPECT_TRUE(nlohmann::json::parse(rets::kSettingsSchema).is_object());
}

TEST(RetsObject, MultipartPartsAndSingleObjects) {
  EXPECT_EQ(rets::multipart_boundary("multipart/parallel; boundary=\"simple boundary\""),
            "simple boundary");
  EXPECT_EQ(rets::multipart_boundary("multipart/parallel; boundary=abc; charset=x"), "abc");
  const std::string body =
      "preamble\r\n--B\r\nContent-ID: L1\r\nObject-ID: 1\r\nContent-Type: image/jpeg\r\n"
      "Content-Description: Front\r\n\r\nAB\r\n--B\r\nContent-ID: L2\r\nObject-ID: *\r\n"
      "Content-Type: text/xml\r\n\r\n<RETS ReplyCode=\"20403\" ReplyText=\"No Object\"/>"
      "\r\n--B--\r\n";
  const auto objects = rets::parse_get_object("multipart/parallel; boundary=B", {}, body);
  ASSERT_EQ(objects.size(), 2u);
  EXPECT_EQ(objects[0].content_id, "L1");
  EXPECT_EQ(objects[0].object_id, "1");
  EXPECT_EQ(objects[0].content_type, "image/jpeg");
  EXPECT_EQ(objects[0].description, "Front");
  EXPECT_EQ(objects[0].data, "AB");
  EXPECT_EQ(objects[1].reply_code, 20403);
  EXPECT_TRUE(objects[1].data.empty());
  try {
    rets::parse_get_object("multipart/parallel; boundary=B", {}, body.substr(0, 60));
    FAIL() << "no error";
  } catch (const rets::ParseError& e) {
    EXPECT_TRUE(e.truncated());
  }
  const auto single =
      rets::parse_get_object("image/jpeg", {{"Content-ID", "L9"}, {"Object-ID", "3"}}, "JPEGDATA");
  ASSERT_EQ(single.size(), 1u);
  EXPECT_EQ(single[0].content_id, "L9");
  EXPECT_EQ(single[0].object_id, "3");
  EXPECT_EQ(single[0].data, "JPEGDATA");
  const auto error = rets::parse_get_object(
      "text/xml", {}, "<RETS ReplyCode=\"20403\" ReplyText=\"No Object Found\"/>");
  ASSERT_EQ(error.size(), 1u);
  EXPECT_EQ(error[0].reply_code, 20403);
  EXPECT_EQ(error[0].reply_text, "No Object Found");
}
