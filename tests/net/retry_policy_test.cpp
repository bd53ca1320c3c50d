#include "net/retry_policy.hpp"

#include <gtest/gtest.h>

namespace reos::net {
namespace {

using std::chrono::milliseconds;

TEST(RetryPolicy, BackoffIsFullJitterUnderACappedExponentialCeiling) {
  RetryPolicy p(5, milliseconds(200), milliseconds(1000));
  EXPECT_EQ(p.backoff_ceiling(0), milliseconds(200));
  EXPECT_EQ(p.backoff_ceiling(1), milliseconds(400));
  EXPECT_EQ(p.backoff_ceiling(2), milliseconds(800));
  EXPECT_EQ(p.backoff_ceiling(3), milliseconds(1000));    // capped
  EXPECT_EQ(p.backoff_ceiling(100), milliseconds(1000));  // no overflow
  EXPECT_EQ(p.backoff(2, 0.0), milliseconds(0));
  EXPECT_EQ(p.backoff(2, 0.5), milliseconds(400));
  EXPECT_EQ(p.backoff(1, 0.25), milliseconds(100));
  EXPECT_EQ(p.backoff(3, 0.999), milliseconds(999));
  EXPECT_EQ(p.backoff(3, 7.0), milliseconds(1000));  // clamped random
}

TEST(RetryPolicy, IdempotentRequestsRetryOnTimeoutsRateLimitsAndServerErrors) {
  for (int s : {408, 429, 500, 502, 503, 504})
    EXPECT_TRUE(RetryPolicy::retryable_status(s, true)) << s;
  for (int s : {200, 201, 204, 301, 304, 400, 401, 403, 404, 409, 422, 501, 505})
    EXPECT_FALSE(RetryPolicy::retryable_status(s, true)) << s;
}

TEST(RetryPolicy, NonIdempotentRequestsRetryOnlyWhereTheServerCannotHaveActed) {
  EXPECT_TRUE(RetryPolicy::retryable_status(429, false));
  EXPECT_TRUE(RetryPolicy::retryable_status(503, false));
  for (int s : {408, 500, 502, 504}) EXPECT_FALSE(RetryPolicy::retryable_status(s, false)) << s;
  EXPECT_TRUE(RetryPolicy::retryable_failure(TransportFailure::before_send, false));
  EXPECT_FALSE(RetryPolicy::retryable_failure(TransportFailure::after_send, false));
  EXPECT_TRUE(RetryPolicy::retryable_failure(TransportFailure::after_send, true));
  EXPECT_FALSE(RetryPolicy::retryable_failure(TransportFailure::permanent, true));
}

TEST(RetryPolicy, IdempotencyFollowsTheMethodOrAnIdempotencyKey) {
  for (const char* m : {"GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"})
    EXPECT_TRUE(is_idempotent(m, {})) << m;
  for (const char* m : {"POST", "PATCH", "CONNECT", "get"}) EXPECT_FALSE(is_idempotent(m, {})) << m;
  EXPECT_TRUE(is_idempotent("POST", {{"idempotency-key", "order-42"}}));
  EXPECT_FALSE(is_idempotent("POST", {{"Idempotency-Key", ""}}));
}

TEST(RetryPolicy, UnhealthyStatusesAreRateLimitsAndServerErrors) {
  EXPECT_TRUE(RetryPolicy::unhealthy_status(429));
  EXPECT_TRUE(RetryPolicy::unhealthy_status(500));
  EXPECT_TRUE(RetryPolicy::unhealthy_status(503));
  EXPECT_FALSE(RetryPolicy::unhealthy_status(404));
  EXPECT_FALSE(RetryPolicy::unhealthy_status(200));
}

}  // namespace
}  // namespace reos::net
