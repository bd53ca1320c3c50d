#include "auth/password_hash.hpp"

#include <gtest/gtest.h>

#include "auth/login_throttle.hpp"

namespace reos::auth {
namespace {

TEST(PasswordHash, Argon2idRoundTripWithStoredParameters) {
  const std::string h = hash_password("correct horse battery staple");
  EXPECT_EQ(h.rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0), 0u) << h;
  EXPECT_TRUE(verify_password("correct horse battery staple", h));
  EXPECT_FALSE(verify_password("correct horse battery stapl", h));
  EXPECT_FALSE(verify_password("", h));
}

TEST(PasswordHash, FreshSaltEachTimeAndForeignFormatsNeverMatch) {
  EXPECT_NE(hash_password("x"), hash_password("x"));
  EXPECT_FALSE(verify_password("x", ""));
  EXPECT_FALSE(verify_password("x", "$argon2i$v=19$m=16,t=2,p=1$c29tZXNhbHQ$aGFzaA"));
  EXPECT_FALSE(verify_password("x", "plaintext"));
}

TEST(LoginThrottle, BlocksAnAccountAfterTheLimitUntilTheWindowPasses) {
  auto now = std::chrono::system_clock::time_point(std::chrono::seconds(100000));
  LoginThrottle t({3, 100, std::chrono::seconds(600)}, [&now] { return now; });
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(t.blocked("a@x", "1.1.1.1"));
    t.record_failure("a@x", "1.1.1.1");
    now += std::chrono::seconds(10);
  }
  auto wait = t.blocked("a@x", "2.2.2.2");
  ASSERT_TRUE(wait);
  EXPECT_EQ(wait->count(), 600 - 30);
  EXPECT_FALSE(t.blocked("b@x", "2.2.2.2"));  // another account is not affected
  now += std::chrono::seconds(571);
  EXPECT_FALSE(t.blocked("a@x", "2.2.2.2"));
}

TEST(LoginThrottle, BlocksAnAddressSprayingManyAccountsAndSuccessClearsTheAccount) {
  auto now = std::chrono::system_clock::time_point(std::chrono::seconds(100000));
  LoginThrottle t({3, 5, std::chrono::seconds(600)}, [&now] { return now; });
  for (int i = 0; i < 5; ++i) t.record_failure("user" + std::to_string(i) + "@x", "9.9.9.9");
  EXPECT_TRUE(t.blocked("new@x", "9.9.9.9"));
  EXPECT_FALSE(t.blocked("new@x", "8.8.8.8"));
  t.record_failure("c@x", "7.7.7.7");
  t.record_failure("c@x", "7.7.7.7");
  t.record_success("c@x");
  t.record_failure("c@x", "6.6.6.6");
  EXPECT_FALSE(t.blocked("c@x", "5.5.5.5"));
}

}  // namespace
}  // namespace reos::auth
