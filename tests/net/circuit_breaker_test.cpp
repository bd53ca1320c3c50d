#include "net/circuit_breaker.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "net/manual_clock.hpp"

namespace reos::net {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using test::ManualClock;

CircuitBreakerSettings settings(int failures = 3, milliseconds window = seconds(10),
                                milliseconds cooldown = seconds(30)) {
  return CircuitBreakerSettings{failures, window, cooldown};
}

void fail(CircuitBreaker& b) {
  auto p = b.acquire();
  ASSERT_TRUE(p.allowed());
  p.failure();
}

void open_it(CircuitBreaker& b, int failures) {
  for (int i = 0; i < failures; ++i) fail(b);
  ASSERT_EQ(b.state(), CircuitState::open);
}

TEST(CircuitBreaker, OpensAfterThresholdFailuresWithinTheWindow) {
  ManualClock clock;
  CircuitBreaker b(settings(3), clock);
  fail(b);
  fail(b);
  EXPECT_EQ(b.state(), CircuitState::closed);
  EXPECT_EQ(b.recent_failures(), 2);
  fail(b);
  EXPECT_EQ(b.state(), CircuitState::open);
  EXPECT_EQ(b.open_until(), clock.now() + seconds(30));
}

TEST(CircuitBreaker, FailuresOutsideTheWindowDoNotCount) {
  ManualClock clock;
  CircuitBreaker b(settings(3, seconds(10)), clock);
  fail(b);
  fail(b);
  clock.advance(seconds(10));  // both now fall out of the 10 s window
  fail(b);
  fail(b);
  EXPECT_EQ(b.state(), CircuitState::closed);
  EXPECT_EQ(b.recent_failures(), 2);
  clock.advance(seconds(5));
  fail(b);  // three within 10 s
  EXPECT_EQ(b.state(), CircuitState::open);
}

TEST(CircuitBreaker, SuccessesNeitherOpenNorEraseFailures) {
  ManualClock clock;
  CircuitBreaker b(settings(2), clock);
  fail(b);
  for (int i = 0; i < 10; ++i) b.acquire().success();
  EXPECT_EQ(b.recent_failures(), 1);
  fail(b);
  EXPECT_EQ(b.state(), CircuitState::open);
}

TEST(CircuitBreaker, OpenRejectsImmediatelyUntilTheCooldownEnds) {
  ManualClock clock;
  CircuitBreaker b(settings(1, seconds(10), seconds(30)), clock);
  open_it(b, 1);
  const auto until = b.open_until();
  clock.advance(seconds(29));
  auto p = b.acquire();
  EXPECT_FALSE(p.allowed());
  EXPECT_EQ(p.retry_at(), until);
  EXPECT_EQ(b.state(), CircuitState::open);
  clock.advance(seconds(1));
  EXPECT_EQ(b.state(), CircuitState::half_open);
}

TEST(CircuitBreaker, HalfOpenAdmitsExactlyOneProbeAmongConcurrentCallers) {
  ManualClock clock;
  CircuitBreaker b(settings(1, seconds(10), seconds(1)), clock);
  open_it(b, 1);
  clock.advance(seconds(1));

  constexpr int kThreads = 16;
  std::atomic<int> ready{0};
  std::atomic<bool> go{false};
  std::vector<CircuitBreaker::Permit> permits;
  std::mutex permits_mutex;
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      ++ready;
      while (!go) std::this_thread::yield();
      auto p = b.acquire();
      std::lock_guard lock(permits_mutex);
      permits.push_back(std::move(p));
    });
  }
  while (ready < kThreads) std::this_thread::yield();
  go = true;
  for (auto& t : threads) t.join();

  int allowed = 0, probes = 0;
  for (const auto& p : permits) {
    allowed += p.allowed() ? 1 : 0;
    probes += p.probe() ? 1 : 0;
  }
  EXPECT_EQ(allowed, 1);
  EXPECT_EQ(probes, 1);
  EXPECT_EQ(b.state(), CircuitState::half_open);
}

TEST(CircuitBreaker, ProbeSuccessCloses) {
  ManualClock clock;
  CircuitBreaker b(settings(2), clock);
  open_it(b, 2);
  clock.advance(seconds(30));
  auto probe = b.acquire();
  ASSERT_TRUE(probe.allowed());
  ASSERT_TRUE(probe.probe());
  EXPECT_FALSE(b.acquire().allowed());  // the one probe is in flight
  probe.success();
  EXPECT_EQ(b.state(), CircuitState::closed);
  EXPECT_EQ(b.recent_failures(), 0);
  auto next = b.acquire();
  EXPECT_TRUE(next.allowed());
  EXPECT_FALSE(next.probe());
}

TEST(CircuitBreaker, ProbeFailureReopensForAnotherCooldown) {
  ManualClock clock;
  CircuitBreaker b(settings(2, seconds(10), seconds(30)), clock);
  open_it(b, 2);
  clock.advance(seconds(30));
  auto probe = b.acquire();
  ASSERT_TRUE(probe.probe());
  probe.failure();
  EXPECT_EQ(b.state(), CircuitState::open);
  EXPECT_EQ(b.open_until(), clock.now() + seconds(30));
  EXPECT_FALSE(b.acquire().allowed());
}

TEST(CircuitBreaker, AbandonedProbeFreesTheSlotWithoutAVerdict) {
  ManualClock clock;
  CircuitBreaker b(settings(1), clock);
  open_it(b, 1);
  clock.advance(seconds(30));
  {
    auto probe = b.acquire();
    ASSERT_TRUE(probe.probe());
  }  // destroyed without a report
  EXPECT_EQ(b.state(), CircuitState::half_open);
  auto again = b.acquire();
  EXPECT_TRUE(again.allowed());
  EXPECT_TRUE(again.probe());
}

TEST(CircuitBreaker, LateResultsOfCallsAdmittedBeforeOpeningAreIgnored) {
  ManualClock clock;
  CircuitBreaker b(settings(1), clock);
  auto slow_success = b.acquire();
  auto slow_failure = b.acquire();
  fail(b);  // opens
  clock.advance(seconds(30));
  ASSERT_EQ(b.state(), CircuitState::half_open);
  slow_success.success();  // neither closes the circuit…
  EXPECT_EQ(b.state(), CircuitState::half_open);
  slow_failure.failure();  // …nor re-opens it
  EXPECT_EQ(b.state(), CircuitState::half_open);
}

TEST(CircuitBreaker, ListenerSeesEveryTransition) {
  ManualClock clock;
  std::vector<std::pair<CircuitState, CircuitState>> seen;
  CircuitBreaker b(settings(1), clock,
                   [&](CircuitState from, CircuitState to) { seen.emplace_back(from, to); });
  fail(b);
  clock.advance(seconds(30));
  b.acquire().failure();  // probe fails
  clock.advance(seconds(30));
  b.acquire().success();  // probe succeeds
  using S = CircuitState;
  const std::vector<std::pair<S, S>> expected = {{S::closed, S::open},
                                                 {S::open, S::half_open},
                                                 {S::half_open, S::open},
                                                 {S::open, S::half_open},
                                                 {S::half_open, S::closed}};
  EXPECT_EQ(seen, expected);
}

}  // namespace
}  // namespace reos::net
