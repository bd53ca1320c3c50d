#include "net/retry_after.hpp"

#include <gtest/gtest.h>

namespace reos::net {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// Sun, 06 Nov 1994 08:49:37 GMT — the example date of RFC 9110.
const auto kRfcDate = std::chrono::system_clock::from_time_t(784111777);

TEST(RetryAfter, ParsesDelaySeconds) {
  const auto now = std::chrono::system_clock::now();
  EXPECT_EQ(parse_retry_after("120", now), milliseconds(120000));
  EXPECT_EQ(parse_retry_after(" 3 ", now), milliseconds(3000));
  EXPECT_EQ(parse_retry_after("0", now), milliseconds(0));
  EXPECT_EQ(parse_retry_after("99999999999999999999999", now), seconds(1'000'000'000));
}

TEST(RetryAfter, ParsesTheThreeHttpDateFormats) {
  const auto now = kRfcDate - seconds(90);
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now), seconds(90));   // IMF
  EXPECT_EQ(parse_retry_after("Sunday, 06-Nov-94 08:49:37 GMT", now), seconds(90));  // RFC 850
  EXPECT_EQ(parse_retry_after("Sun Nov  6 08:49:37 1994", now), seconds(90));        // asctime
}

TEST(RetryAfter, DateInThePastMeansNow) {
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", kRfcDate + seconds(5)),
            milliseconds(0));
}

TEST(RetryAfter, RejectsWhatIsNeitherSecondsNorADate) {
  const auto now = std::chrono::system_clock::now();
  for (const char* bad : {"", "  ", "-1", "1.5", "+10", "5 minutes", "soon", "Sun, 99 Foo"})
    EXPECT_FALSE(parse_retry_after(bad, now).has_value()) << '"' << bad << '"';
}

}  // namespace
}  // namespace reos::net
