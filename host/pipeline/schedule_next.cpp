// When a parsed schedule fires next. Calendar arithmetic on days since 1970-01-01 (UTC) after
// Howard Hinnant's public-domain algorithms, so no time zone database or libc state is involved.
#include <cstdint>

#include "pipeline/schedule_spec.hpp"

namespace reos::pipeline {
namespace {

using Days = std::chrono::duration<std::int64_t, std::ratio<86400>>;
using Minutes = std::chrono::minutes;

struct CivilDate {
  std::int64_t year;
  unsigned month;  // 1..12
  unsigned day;    // 1..31
};

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

CivilDate civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d};
}

unsigned weekday_from_days(std::int64_t z) {  // 0 = Sunday; 1970-01-01 was a Thursday
  return static_cast<unsigned>(z >= -4 ? (z + 4) % 7 : (z + 5) % 7 + 6);
}

// Eight years always include a leap day and every weekday of every date.
constexpr std::int64_t kSearchDays = 8 * 366;

}  // namespace

bool ScheduleSpec::day_matches(int year, unsigned month, unsigned day) const {
  const std::int64_t days = days_from_civil(year, month, day);
  const bool dom = cron_.days_of_month.test(day);
  const bool dow = cron_.days_of_week.test(weekday_from_days(days));
  // Vixie cron: a `*`-led day field leaves the other in charge; two restricted fields OR.
  if (cron_.day_of_month_star || cron_.day_of_week_star) return dom && dow;
  return dom || dow;
}

bool ScheduleSpec::next_cron(TimePoint after, TimePoint& out) const {
  const Minutes start = std::chrono::floor<Minutes>(after.time_since_epoch()) + Minutes(1);
  std::int64_t day = std::chrono::floor<Days>(start).count();
  int minute_of_day = static_cast<int>((start - Days(day)).count());
  const std::int64_t last_day = day + kSearchDays;
  while (day <= last_day) {
    const CivilDate date = civil_from_days(day);
    if (!cron_.months.test(date.month)) {
      day = date.month == 12 ? days_from_civil(date.year + 1, 1, 1)
                             : days_from_civil(date.year, date.month + 1, 1);
      minute_of_day = 0;
      continue;
    }
    if (day_matches(static_cast<int>(date.year), date.month, date.day)) {
      for (int hour = minute_of_day / 60; hour < 24; ++hour) {
        if (!cron_.hours.test(static_cast<std::size_t>(hour))) continue;
        const int first = hour == minute_of_day / 60 ? minute_of_day % 60 : 0;
        for (int minute = first; minute < 60; ++minute) {
          if (cron_.minutes.test(static_cast<std::size_t>(minute))) {
            out = TimePoint(std::chrono::duration_cast<Clock::duration>(
                Days(day) + Minutes(hour * 60 + minute)));
            return true;
          }
        }
      }
    }
    ++day;
    minute_of_day = 0;
  }
  return false;
}

ScheduleSpec::TimePoint ScheduleSpec::next_after(TimePoint after) const {
  if (is_interval()) {
    const Clock::duration period = std::chrono::duration_cast<Clock::duration>(interval_);
    const Clock::duration since = after.time_since_epoch();
    auto slots = since / period;
    if (slots * period > since) --slots;  // floor for instants before the epoch
    return TimePoint((slots + 1) * period);
  }
  TimePoint next;
  // parse_schedule refuses schedules that never fire; only a default-constructed spec gets here.
  return next_cron(after, next) ? next : TimePoint::max();
}

}  // namespace reos::pipeline
