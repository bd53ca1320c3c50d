#include "net/outbound_url.hpp"

#include <gtest/gtest.h>

namespace reos::net {
namespace {

TEST(OutboundUrl, AcceptsAbsoluteHttpAndHttpsUrls) {
  EXPECT_EQ(check_outbound_url("http://127.0.0.1:8080/x"), "");
  EXPECT_EQ(check_outbound_url("https://api.example.com/v1/props?top=10"), "");
  EXPECT_EQ(check_outbound_url("HTTPS://API.EXAMPLE.COM/"), "");
}

TEST(OutboundUrl, RejectsOtherSchemesAndMalformedUrls) {
  EXPECT_EQ(check_outbound_url("file:///etc/passwd"),
            "unsupported scheme 'file' (only http and https are allowed)");
  EXPECT_NE(check_outbound_url("ftp://example.com/x").find("unsupported scheme 'ftp'"),
            std::string::npos);
  EXPECT_NE(check_outbound_url("gopher://example.com/").find("unsupported scheme"),
            std::string::npos);
  EXPECT_NE(check_outbound_url("example.com/x").find("malformed URL"), std::string::npos);
  EXPECT_NE(check_outbound_url("http://exa mple.com/").find("malformed URL"), std::string::npos);
  EXPECT_EQ(check_outbound_url(""), "empty URL");
}

TEST(OutboundUrl, RedactionDropsCredentialsQueryAndFragment) {
  EXPECT_EQ(redact_url("https://user:pw@api.example/v1/x?key=s3cret#frag"),
            "https://api.example/v1/x");
  EXPECT_EQ(redact_url("http://127.0.0.1:8080/a/b"), "http://127.0.0.1:8080/a/b");
  EXPECT_EQ(redact_url("not a url"), "<invalid url>");
}

}  // namespace
}  // namespace reos::net
