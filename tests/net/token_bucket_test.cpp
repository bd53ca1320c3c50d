#include "net/token_bucket.hpp"

#include <gtest/gtest.h>

#include "net/manual_clock.hpp"

namespace reos::net {
namespace {

using std::chrono::milliseconds;
using test::ManualClock;

TEST(TokenBucket, AllowsBurstThenRefillsAtRate) {
  ManualClock clock;
  TokenBucket bucket(2.0, 3, clock);  // 2 per second, 3 at once
  EXPECT_TRUE(bucket.try_acquire());
  EXPECT_TRUE(bucket.try_acquire());
  EXPECT_TRUE(bucket.try_acquire());
  EXPECT_FALSE(bucket.try_acquire());
  clock.advance(milliseconds(499));
  EXPECT_FALSE(bucket.try_acquire());
  clock.advance(milliseconds(2));
  EXPECT_TRUE(bucket.try_acquire());
  EXPECT_FALSE(bucket.try_acquire());
}

TEST(TokenBucket, NeverHoldsMoreThanBurst) {
  ManualClock clock;
  TokenBucket bucket(100.0, 2, clock);
  clock.advance(std::chrono::hours(1));
  EXPECT_DOUBLE_EQ(bucket.available(), 2.0);
  EXPECT_TRUE(bucket.try_acquire());
  EXPECT_TRUE(bucket.try_acquire());
  EXPECT_FALSE(bucket.try_acquire());
}

TEST(TokenBucket, ReservationsQueueBehindEachOther) {
  ManualClock clock;
  TokenBucket bucket(10.0, 1, clock);  // one token every 100 ms
  const auto t0 = clock.now();
  const auto far = t0 + std::chrono::hours(1);
  auto first = bucket.reserve(far);
  auto second = bucket.reserve(far);
  auto third = bucket.reserve(far);
  ASSERT_TRUE(first && second && third);
  EXPECT_EQ(*first, t0);
  auto ms_after_start = [&](std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double, std::milli>(t - t0).count();
  };
  EXPECT_NEAR(ms_after_start(*second), 100.0, 0.01);
  EXPECT_NEAR(ms_after_start(*third), 200.0, 0.01);
  EXPECT_LT(bucket.available(), -1.5);  // two reservations outstanding
}

TEST(TokenBucket, RefusesWithoutTakingWhenTheTokenWouldComeAfterTheDeadline) {
  ManualClock clock;
  TokenBucket bucket(1.0, 1, clock);
  ASSERT_TRUE(bucket.try_acquire());
  const auto t0 = clock.now();
  EXPECT_FALSE(bucket.reserve(t0 + milliseconds(500)).has_value());
  EXPECT_NEAR(std::chrono::duration<double>(bucket.next_available() - t0).count(), 1.0, 1e-6);
  // The refusal took nothing: a caller willing to wait a second gets the next token.
  auto granted = bucket.reserve(t0 + milliseconds(1001));
  ASSERT_TRUE(granted.has_value());
  EXPECT_LE(*granted, t0 + milliseconds(1001));
}

TEST(TokenBucket, NonPositiveRateDisablesTheLimit) {
  ManualClock clock;
  TokenBucket bucket(0.0, 1, clock);
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(bucket.try_acquire());
  EXPECT_EQ(bucket.reserve(clock.now()), clock.now());
}

}  // namespace
}  // namespace reos::net
