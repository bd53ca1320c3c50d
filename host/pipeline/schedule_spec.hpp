#pragma once

#include <bitset>
#include <chrono>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

namespace reos::pipeline {

/// A schedule that does not parse. `what()` is "<reason> at column <column>" (1-based, bytes).
class ScheduleError : public std::runtime_error {
 public:
  ScheduleError(std::string reason, std::size_t column);
  const std::string& reason() const noexcept { return reason_; }
  std::size_t column() const noexcept { return column_; }

 private:
  std::string reason_;
  std::size_t column_;
};

/// When a pipeline source is pulled (docs/pipelines.md#schedules). Two forms:
///
/// - an interval, `every <n><s|m|h|d>` (`every 4h`, `every 90m`): fires at every multiple of
///   the interval since the Unix epoch, so every hub process computes the same instants;
/// - a 5-field cron line `minute hour day-of-month month day-of-week` in UTC with `*`, lists,
///   ranges, steps and names (jan–dec, sun–sat; 0 and 7 are Sunday), the day fields combined
///   by Vixie cron's rule: when both are restricted (neither starts with `*`), a day matches
///   if EITHER matches.
///
/// Immutable; safe to share between threads.
class ScheduleSpec {
 public:
  using Clock = std::chrono::system_clock;
  using TimePoint = Clock::time_point;

  /// The first instant strictly after `after` at which the schedule fires (cron: whole minutes,
  /// seconds zero). Every schedule that parses fires at least once every eight years; a
  /// default-constructed spec never fires (TimePoint::max()).
  TimePoint next_after(TimePoint after) const;

  bool is_interval() const { return interval_.count() > 0; }
  /// The interval (zero for a cron schedule).
  std::chrono::seconds interval() const { return interval_; }
  /// The text it was parsed from.
  const std::string& text() const { return text_; }

 private:
  friend ScheduleSpec parse_schedule(std::string_view text);
  struct Cron {
    std::bitset<60> minutes;
    std::bitset<24> hours;
    std::bitset<32> days_of_month;  // 1..31
    std::bitset<13> months;         // 1..12
    std::bitset<7> days_of_week;    // 0..6, Sunday = 0
    bool day_of_month_star = false;
    bool day_of_week_star = false;
  };
  bool day_matches(int year, unsigned month, unsigned day) const;
  bool next_cron(TimePoint after, TimePoint& out) const;

  std::string text_;
  std::chrono::seconds interval_{0};
  Cron cron_;
};

/// Parses `every <n><unit>` or a 5-field cron line (leading/trailing blanks ignored). Throws
/// ScheduleError naming the column of the offending part, e.g.
/// "unknown unit 'x' in interval (use s, m, h or d) at column 8".
ScheduleSpec parse_schedule(std::string_view text);

}  // namespace reos::pipeline
