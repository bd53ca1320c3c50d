#include <gtest/gtest.h>

#include "plugin_runtime/out_of_process_backoff.hpp"

using reos::plugin_runtime::RestartBackoff;
using std::chrono::milliseconds;

TEST(RestartBackoff, DoublesFromFirstDelayUpToTheCap) {
  RestartBackoff b(milliseconds(100), milliseconds(30000));
  auto t = RestartBackoff::Clock::now();
  std::vector<long> delays;
  for (int i = 0; i < 12; ++i) delays.push_back(b.record_failure(t).count());
  EXPECT_EQ(delays, (std::vector<long>{100, 200, 400, 800, 1600, 3200, 6400, 12800, 25600, 30000,
                                       30000, 30000}));
}

TEST(RestartBackoff, RemainingCountsDownAndResetStartsOver) {
  RestartBackoff b(milliseconds(100), milliseconds(30000));
  auto t = RestartBackoff::Clock::now();
  EXPECT_EQ(b.remaining(t).count(), 0);
  b.record_failure(t);
  EXPECT_EQ(b.remaining(t).count(), 100);
  EXPECT_EQ(b.remaining(t + milliseconds(60)).count(), 40);
  EXPECT_EQ(b.remaining(t + milliseconds(100)).count(), 0);
  b.record_failure(t);
  EXPECT_EQ(b.remaining(t).count(), 200);
  b.reset();
  EXPECT_EQ(b.remaining(t).count(), 0);
  EXPECT_EQ(b.record_failure(t).count(), 100);
}
