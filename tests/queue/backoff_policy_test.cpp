#include "queue/backoff_policy.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <vector>

using reos::queue::BackoffPolicy;
using reos::queue::KindRetrySettings;
using std::chrono::milliseconds;

namespace {

// Returns the given values in turn (then repeats the last).
reos::queue::UnitRandom sequence(std::vector<double> values) {
  auto index = std::make_shared<std::size_t>(0);
  return [values, index] {
    const double v = values[std::min(*index, values.size() - 1)];
    ++*index;
    return v;
  };
}

}  // namespace

TEST(BackoffPolicy, DoublesFromTheBaseUpToTheCap) {
  const BackoffPolicy policy({5, milliseconds(100), milliseconds(1000)}, {});
  EXPECT_EQ(policy.ceiling("any", 1), milliseconds(100));
  EXPECT_EQ(policy.ceiling("any", 2), milliseconds(200));
  EXPECT_EQ(policy.ceiling("any", 3), milliseconds(400));
  EXPECT_EQ(policy.ceiling("any", 4), milliseconds(800));
  EXPECT_EQ(policy.ceiling("any", 5), milliseconds(1000));
  EXPECT_EQ(policy.ceiling("any", 500), milliseconds(1000));  // no overflow
}

TEST(BackoffPolicy, FullJitterScalesTheCeilingByTheRandomDraw) {
  const BackoffPolicy policy({5, milliseconds(100), milliseconds(1000)}, {},
                             sequence({0.5, 0.25, 0.0, 0.999, 1.5}));
  EXPECT_EQ(policy.delay("k", 1), milliseconds(50));
  EXPECT_EQ(policy.delay("k", 2), milliseconds(50));
  EXPECT_EQ(policy.delay("k", 3), milliseconds(0));
  EXPECT_EQ(policy.delay("k", 4), milliseconds(799));
  EXPECT_EQ(policy.delay("k", 9), milliseconds(1000)) << "a draw above 1 is clamped";
}

TEST(BackoffPolicy, RetryAfterIsAFloorNotShortenedByJitter) {
  const BackoffPolicy policy({5, milliseconds(100), milliseconds(1000)}, {}, sequence({0.5}));
  EXPECT_EQ(policy.delay("k", 1, milliseconds(30000)), milliseconds(30000));
  EXPECT_EQ(policy.delay("k", 1, milliseconds(10)), milliseconds(50));
}

TEST(BackoffPolicy, KindSettingsOverrideTheDefaultsAndAreClamped) {
  const BackoffPolicy policy(
      {5, milliseconds(100), milliseconds(1000)},
      {{"email.send", {12, milliseconds(2000), milliseconds(500)}}, {"bad", {0, {}, {}}}});
  EXPECT_EQ(policy.settings_for("email.send").max_attempts, 12);
  EXPECT_EQ(policy.settings_for("email.send").backoff_cap, milliseconds(2000))
      << "a cap below the base is raised to the base";
  EXPECT_EQ(policy.settings_for("bad").max_attempts, 1);
  EXPECT_EQ(policy.settings_for("other").max_attempts, 5);
}
