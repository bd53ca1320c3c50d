// RateLimiter with an injected clock: bursts, refills, Retry-After, all-or-nothing across the
// key and tenant buckets, bounded memory, and thread safety.

#include "api/rate_limiter.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace reos::api {
namespace {

using std::chrono::milliseconds;

struct FakeClock {
  std::shared_ptr<std::atomic<long long>> ms = std::make_shared<std::atomic<long long>>(0);
  RateLimiter::Clock fn() const {
    auto p = ms;
    return [p] { return std::chrono::steady_clock::time_point(milliseconds(p->load())); };
  }
  void advance(long long d) { *ms += d; }
};

Caller key_caller(const std::string& key, const std::string& tenant = "t1") {
  Caller c;
  c.kind = Caller::Kind::api_key;
  c.api_key_id = key;
  c.tenant_id = tenant;
  return c;
}

Caller user_caller(const std::string& tenant) {
  Caller c;
  c.kind = Caller::Kind::user;
  c.user_id = "u";
  c.tenant_id = tenant;
  return c;
}

TEST(RateLimiter, BurstThenRefillAtTheRate) {
  FakeClock clock;
  RateLimiter limiter({10, 5, 0, 0, 0, 0}, clock.fn());
  Caller c = key_caller("k1");
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(limiter.acquire(c)) << i;
  auto wait = limiter.acquire(c);
  ASSERT_TRUE(wait);
  EXPECT_EQ(wait->count(), 100);  // one token at 10/s
  clock.advance(99);
  EXPECT_TRUE(limiter.acquire(c));
  clock.advance(1);
  EXPECT_FALSE(limiter.acquire(c));
  EXPECT_TRUE(limiter.acquire(c));
}

TEST(RateLimiter, RetryAfterIsWholeSecondsRoundedUp) {
  EXPECT_EQ(retry_after_seconds(milliseconds(1)), 1);
  EXPECT_EQ(retry_after_seconds(milliseconds(1000)), 1);
  EXPECT_EQ(retry_after_seconds(milliseconds(1001)), 2);
  EXPECT_EQ(retry_after_seconds(milliseconds(0)), 1);
  FakeClock clock;
  RateLimiter limiter({0, 0, 0.5, 1, 0, 0}, clock.fn());
  Caller c = user_caller("t1");
  EXPECT_FALSE(limiter.acquire(c));
  auto wait = limiter.acquire(c);
  ASSERT_TRUE(wait);
  EXPECT_EQ(wait->count(), 2000);
  EXPECT_EQ(retry_after_seconds(*wait), 2);
}

TEST(RateLimiter, TenantBucketIsSharedByItsKeysAndUsers) {
  FakeClock clock;
  RateLimiter limiter({100, 100, 1, 3, 0, 0}, clock.fn());
  EXPECT_FALSE(limiter.acquire(key_caller("a")));
  EXPECT_FALSE(limiter.acquire(key_caller("b")));
  EXPECT_FALSE(limiter.acquire(user_caller("t1")));
  EXPECT_TRUE(limiter.acquire(key_caller("c")));         // the tenant's 3 are gone
  EXPECT_FALSE(limiter.acquire(key_caller("c", "t2")));  // another tenant is unaffected
}

TEST(RateLimiter, RefusedCallTakesNoTokenFromTheOtherBucket) {
  FakeClock clock;
  RateLimiter limiter({1, 1, 1, 2, 0, 0}, clock.fn());
  EXPECT_FALSE(limiter.acquire(key_caller("a")));
  // Key "a" is empty: refused, and the tenant keeps its second token for key "b".
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(limiter.acquire(key_caller("a")));
  EXPECT_FALSE(limiter.acquire(key_caller("b")));
  EXPECT_TRUE(limiter.acquire(key_caller("b")));
}

TEST(RateLimiter, UsersHaveNoKeyBucket) {
  FakeClock clock;
  RateLimiter limiter({1, 1, 100, 100, 0, 0}, clock.fn());
  for (int i = 0; i < 50; ++i) EXPECT_FALSE(limiter.acquire(user_caller("t1"))) << i;
}

TEST(RateLimiter, PerIpLimitForUnauthenticatedRoutes) {
  FakeClock clock;
  RateLimiter limiter({0, 0, 0, 0, 1, 2}, clock.fn());
  EXPECT_FALSE(limiter.acquire_ip("10.0.0.1"));
  EXPECT_FALSE(limiter.acquire_ip("10.0.0.1"));
  EXPECT_TRUE(limiter.acquire_ip("10.0.0.1"));
  EXPECT_FALSE(limiter.acquire_ip("10.0.0.2"));
  clock.advance(1000);
  EXPECT_FALSE(limiter.acquire_ip("10.0.0.1"));
}

TEST(RateLimiter, ZeroRateDisablesALimit) {
  FakeClock clock;
  RateLimiter limiter({0, 0, 0, 0, 0, 0}, clock.fn());
  for (int i = 0; i < 1000; ++i) ASSERT_FALSE(limiter.acquire(key_caller("a")));
  EXPECT_EQ(limiter.bucket_count(), 0u);
}

TEST(RateLimiter, MemoryStaysBoundedUnderManyClients) {
  FakeClock clock;
  RateLimiter limiter({0, 0, 0, 0, 1, 5}, clock.fn(), 100);
  for (int i = 0; i < 10000; ++i) {
    limiter.acquire_ip("ip-" + std::to_string(i));
    ASSERT_LE(limiter.bucket_count(), 100u) << i;
  }
}

TEST(RateLimiter, IdleBucketsAreForgotten) {
  FakeClock clock;
  RateLimiter limiter({0, 0, 0, 0, 10, 10}, clock.fn());
  for (int i = 0; i < 500; ++i) limiter.acquire_ip("ip-" + std::to_string(i));
  EXPECT_EQ(limiter.bucket_count(), 500u);
  clock.advance(2000);  // every bucket is full again
  for (int i = 0; i < 1100; ++i) limiter.acquire_ip("busy");
  EXPECT_LE(limiter.bucket_count(), 2u);
}

TEST(RateLimiter, ConcurrentCallersGetExactlyTheBurst) {
  FakeClock clock;  // time stands still: no refill
  RateLimiter limiter({0, 0, 1, 1000, 0, 0}, clock.fn());
  std::atomic<int> granted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i)
        if (!limiter.acquire(user_caller("t1"))) ++granted;
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(granted.load(), 1000);
}

}  // namespace
}  // namespace reos::api
