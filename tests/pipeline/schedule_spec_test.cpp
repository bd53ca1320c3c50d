// Schedules: interval and cron parsing, next_after over a table of instants (UTC), and every
// error with its column.
#include "pipeline/schedule_spec.hpp"

#include <gtest/gtest.h>

#include <ctime>
#include <string>
#include <vector>

namespace reos::pipeline {
namespace {

using TimePoint = ScheduleSpec::TimePoint;

// "YYYY-MM-DD HH:MM[:SS]" in UTC.
TimePoint utc(const std::string& text) {
  std::tm tm{};
  tm.tm_sec = 0;
  const int fields = std::sscanf(text.c_str(), "%d-%d-%d %d:%d:%d", &tm.tm_year, &tm.tm_mon,
                                 &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec);
  EXPECT_GE(fields, 5) << text;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return ScheduleSpec::Clock::from_time_t(timegm(&tm));
}

std::string show(TimePoint at) {
  const std::time_t seconds = ScheduleSpec::Clock::to_time_t(at);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S %a", &tm);
  return text;
}

struct NextRow {
  const char* schedule;
  const char* after;
  const char* expected;  // as show() prints it
};

const std::vector<NextRow> kNext = {
    // intervals are aligned to the Unix epoch, so every process agrees on the instants
    {"every 4h", "2024-01-15 10:07", "2024-01-15 12:00:00 Mon"},
    {"every 4h", "2024-01-15 12:00", "2024-01-15 16:00:00 Mon"},
    {"every 15m", "2024-01-15 10:07:30", "2024-01-15 10:15:00 Mon"},
    {"every 30s", "2024-01-15 10:07:30", "2024-01-15 10:08:00 Mon"},
    {"every 90m", "2024-01-15 10:07", "2024-01-15 10:30:00 Mon"},
    {"every 1d", "2024-01-15 10:07", "2024-01-16 00:00:00 Tue"},
    {"  every 2h  ", "2024-01-15 23:59", "2024-01-16 00:00:00 Tue"},
    // cron
    {"*/15 * * * *", "2024-01-15 10:07", "2024-01-15 10:15:00 Mon"},
    {"*/15 * * * *", "2024-01-15 10:15", "2024-01-15 10:30:00 Mon"},
    {"*/15 * * * *", "2024-01-15 23:50", "2024-01-16 00:00:00 Tue"},
    {"0 */4 * * *", "2024-01-15 10:07", "2024-01-15 12:00:00 Mon"},
    {"0 9 * * mon-fri", "2024-01-12 09:00", "2024-01-15 09:00:00 Mon"},
    {"0 9 * * mon-fri", "2024-01-15 08:59:59", "2024-01-15 09:00:00 Mon"},
    {"0 0 1 * *", "2024-01-15 10:07", "2024-02-01 00:00:00 Thu"},
    {"0 0 1 * *", "2024-12-01 00:00", "2025-01-01 00:00:00 Wed"},
    {"0 0 * * 0", "2024-01-15 10:07", "2024-01-21 00:00:00 Sun"},
    {"0 0 * * 7", "2024-01-15 10:07", "2024-01-21 00:00:00 Sun"},
    {"0 0 * * sun", "2024-01-15 10:07", "2024-01-21 00:00:00 Sun"},
    {"0 0 * * 5-7", "2024-01-15 10:07", "2024-01-19 00:00:00 Fri"},
    // day-of-month and day-of-week both restricted: either matches (Vixie cron)
    {"0 0 13 * fri", "2024-01-01 00:00", "2024-01-05 00:00:00 Fri"},
    {"0 0 13 * fri", "2024-01-12 00:00", "2024-01-13 00:00:00 Sat"},
    // a `*`-led day field leaves the other in charge: both must match
    {"0 0 */2 * fri", "2024-01-01 00:00", "2024-01-05 00:00:00 Fri"},
    {"0 0 */2 * fri", "2024-01-05 00:00", "2024-01-19 00:00:00 Fri"},
    {"0 0 13 * *", "2024-01-01 00:00", "2024-01-13 00:00:00 Sat"},
    // names, case-insensitive; lists; ranges with steps; `a/n` runs to the field's end
    {"30 6 * jul,dec sun", "2024-01-01 00:00", "2024-07-07 06:30:00 Sun"},
    {"0 0 * JAN MON", "2024-01-02 00:00", "2024-01-08 00:00:00 Mon"},
    {"5-10/2 8-9 * * *", "2024-01-15 08:06", "2024-01-15 08:07:00 Mon"},
    {"5-10/2 8-9 * * *", "2024-01-15 08:09", "2024-01-15 09:05:00 Mon"},
    {"5/20 * * * *", "2024-01-15 10:30", "2024-01-15 10:45:00 Mon"},
    {"0 12 29 feb *", "2024-03-01 00:00", "2028-02-29 12:00:00 Tue"},
    {"59 23 31 12 *", "2024-12-31 23:59", "2025-12-31 23:59:00 Wed"},
    {"@daily", "2024-01-15 10:07", "2024-01-16 00:00:00 Tue"},
    {"@hourly", "2024-01-15 10:07", "2024-01-15 11:00:00 Mon"},
    {"@weekly", "2024-01-15 10:07", "2024-01-21 00:00:00 Sun"},
};

TEST(ScheduleSpec, NextAfterTable) {
  for (const NextRow& row : kNext) {
    SCOPED_TRACE(std::string(row.schedule) + " after " + row.after);
    const ScheduleSpec spec = parse_schedule(row.schedule);
    EXPECT_EQ(show(spec.next_after(utc(row.after))), row.expected);
  }
}

TEST(ScheduleSpec, IntervalIsReportedAndCronIsNot) {
  EXPECT_TRUE(parse_schedule("every 4h").is_interval());
  EXPECT_EQ(parse_schedule("every 4h").interval(), std::chrono::hours(4));
  EXPECT_FALSE(parse_schedule("0 */4 * * *").is_interval());
  EXPECT_EQ(parse_schedule("0 */4 * * *").text(), "0 */4 * * *");
}

TEST(ScheduleSpec, NextAfterIsStrictlyLaterEvenWithinTheSameMinute) {
  const ScheduleSpec spec = parse_schedule("* * * * *");
  EXPECT_EQ(show(spec.next_after(utc("2024-01-15 10:07:59"))), "2024-01-15 10:08:00 Mon");
  EXPECT_EQ(show(spec.next_after(utc("2024-01-15 10:07:00"))), "2024-01-15 10:08:00 Mon");
}

TEST(ScheduleSpec, DefaultConstructedNeverFires) {
  EXPECT_EQ(ScheduleSpec().next_after(utc("2024-01-15 10:07")), TimePoint::max());
}

struct ErrorRow {
  const char* schedule;
  const char* message;
};

const std::vector<ErrorRow> kErrors = {
    {"", "empty schedule (write 'every 4h' or a cron line such as '0 */4 * * *') at column 1"},
    {"every", "expected an interval after 'every', e.g. 'every 4h' at column 6"},
    {"every 4x", "unknown unit 'x' in interval (use s, m, h or d) at column 8"},
    {"  every 4x", "unknown unit 'x' in interval (use s, m, h or d) at column 10"},
    {"every 4", "missing unit after 4 (use s, m, h or d, e.g. 'every 4h') at column 8"},
    {"every h", "expected a number after 'every', e.g. 'every 4h' at column 7"},
    {"every 0m", "interval must be at least 1 at column 7"},
    {"every 400d", "interval is longer than 366 days at column 7"},
    {"every 4h please", "unexpected 'please' after the interval at column 10"},
    {"* * * *",
     "expected 5 cron fields (minute hour day-of-month month day-of-week) or "
     "'every <n><s|m|h|d>', got 4 fields at column 8"},
    {"* * * * * *",
     "unexpected 6th field '*' (cron takes 5: minute hour day-of-month month "
     "day-of-week) at column 11"},
    {"60 * * * *", "minute 60 is out of range (0-59) at column 1"},
    {"0 24 * * *", "hour 24 is out of range (0-23) at column 3"},
    {"0 0 0 * *", "day-of-month 0 is out of range (1-31) at column 5"},
    {"0 0 * 13 *", "month 13 is out of range (1-12) at column 7"},
    {"0 0 * * 8", "day-of-week 8 is out of range (0-7) at column 9"},
    {"0 0 * foo *", "unknown month 'foo' (use jan-dec or a number) at column 7"},
    {"0 0 * * mon-xyz", "unknown day-of-week 'xyz' (use sun-sat or a number) at column 13"},
    {"0 mon * * *", "unknown hour 'mon' (expected a number) at column 3"},
    {"*/0 * * * *", "step 0 in the minute field must be 1-59 at column 3"},
    {"*/ * * * *", "expected a step (a number) after '/' in the minute field at column 3"},
    {"5-2 * * * *", "range 5-2 in the minute field runs backwards at column 1"},
    {"1,,2 * * * *", "empty list item in the minute field at column 3"},
    {"0 0 31 feb *", "day-of-month 31 never occurs in the selected months at column 5"},
    {"@often",
     "unknown schedule '@often' (use @hourly, @daily, @weekly, @monthly or @yearly) at "
     "column 1"},
};

TEST(ScheduleSpec, ErrorTable) {
  for (const ErrorRow& row : kErrors) {
    SCOPED_TRACE(row.schedule);
    try {
      parse_schedule(row.schedule);
      ADD_FAILURE() << "parsed";
    } catch (const ScheduleError& e) {
      EXPECT_EQ(std::string(e.what()), row.message);
    }
  }
}

}  // namespace
}  // namespace reos::pipeline
