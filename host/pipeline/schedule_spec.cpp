// Parsing of schedule strings: `every <n><unit>` intervals and 5-field cron lines (the
// semantics of Vixie cron, crontab(5), without its `@reboot`).
#include "pipeline/schedule_spec.hpp"

#include <cctype>
#include <utility>
#include <vector>

namespace reos::pipeline {
namespace {

constexpr std::int64_t kMaxIntervalSeconds = 366LL * 24 * 3600;

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A piece of the schedule text with its 0-based offset in the whole text.
struct Piece {
  std::string_view text;
  std::size_t offset;
};

std::vector<Piece> split(std::string_view text, std::size_t offset, char separator) {
  std::vector<Piece> pieces;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == separator) {
      pieces.push_back({text.substr(start, i - start), offset + start});
      start = i + 1;
    }
  }
  return pieces;
}

std::vector<Piece> fields_of(std::string_view text) {
  std::vector<Piece> fields;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && is_blank(text[i])) ++i;
    const std::size_t start = i;
    while (i < text.size() && !is_blank(text[i])) ++i;
    if (i > start) fields.push_back({text.substr(start, i - start), start});
  }
  return fields;
}

struct FieldRule {
  const char* name;
  int low;
  int high;
  const char* const* names;  // names[k] is value low + k (nullptr when the field has none)
  int name_count;
};

const char* const kMonthNames[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                   "jul", "aug", "sep", "oct", "nov", "dec"};
const char* const kDayNames[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

const FieldRule kRules[5] = {{"minute", 0, 59, nullptr, 0},
                             {"hour", 0, 23, nullptr, 0},
                             {"day-of-month", 1, 31, nullptr, 0},
                             {"month", 1, 12, kMonthNames, 12},
                             {"day-of-week", 0, 7, kDayNames, 7}};

class CronFieldParser {
 public:
  explicit CronFieldParser(const FieldRule& rule) : rule_(rule) {}

  // Sets bits[v] for every value v the field selects.
  template <std::size_t N>
  void parse(const Piece& field, std::bitset<N>& bits) const {
    for (const Piece& item : split(field.text, field.offset, ',')) {
      if (item.text.empty()) {
        throw ScheduleError(std::string("empty list item in the ") + rule_.name + " field",
                            item.offset + 1);
      }
      parse_item(item, bits);
    }
  }

 private:
  template <std::size_t N>
  void parse_item(const Piece& item, std::bitset<N>& bits) const {
    const std::size_t slash = item.text.find('/');
    const Piece range{item.text.substr(0, slash), item.offset};
    int step = 1;
    if (slash != std::string_view::npos) {
      const Piece step_text{item.text.substr(slash + 1), item.offset + slash + 1};
      if (step_text.text.empty() || !all_digits(step_text.text)) {
        throw ScheduleError(
            std::string("expected a step (a number) after '/' in the ") + rule_.name + " field",
            step_text.offset + 1);
      }
      step = number(step_text);
      if (step < 1 || step > rule_.high) {
        throw ScheduleError("step " + std::string(step_text.text) + " in the " + rule_.name +
                                " field must be 1-" + std::to_string(rule_.high),
                            step_text.offset + 1);
      }
    }
    int low = rule_.low;
    int high = rule_.high;
    if (range.text == "*") {
      // every value
    } else if (const std::size_t dash = range.text.find('-'); dash != std::string_view::npos) {
      low = value(Piece{range.text.substr(0, dash), range.offset});
      high = value(Piece{range.text.substr(dash + 1), range.offset + dash + 1});
      if (low > high) {
        throw ScheduleError(
            "range " + std::string(range.text) + " in the " + rule_.name + " field runs backwards",
            range.offset + 1);
      }
    } else {
      low = value(range);
      // `5/15` means 5-max/15 (Vixie cron); a lone value is just itself.
      high = slash == std::string_view::npos ? low : rule_.high;
    }
    for (int v = low; v <= high; v += step) {
      // Day-of-week 7 is Sunday, like 0.
      bits.set(static_cast<std::size_t>(rule_.high == 7 && v == 7 ? 0 : v));
    }
  }

  static bool all_digits(std::string_view text) {
    for (const char c : text) {
      if (!is_digit(c)) return false;
    }
    return true;
  }

  static int number(const Piece& piece) {
    int n = 0;
    for (const char c : piece.text) {
      n = n * 10 + (c - '0');
      if (n > 1000) return 1000;  // out of every range; avoids overflow
    }
    return n;
  }

  int value(const Piece& piece) const {
    if (piece.text.empty()) {
      throw ScheduleError(std::string("expected a value in the ") + rule_.name + " field",
                          piece.offset + 1);
    }
    if (all_digits(piece.text)) {
      const int n = number(piece);
      if (n < rule_.low || n > rule_.high) {
        throw ScheduleError(std::string(rule_.name) + " " + std::string(piece.text) +
                                " is out of range (" + std::to_string(rule_.low) + "-" +
                                std::to_string(rule_.high) + ")",
                            piece.offset + 1);
      }
      return n;
    }
    const std::string name = lower(piece.text);
    for (int k = 0; k < rule_.name_count; ++k) {
      if (name == rule_.names[k]) return rule_.low + k;
    }
    std::string hint = rule_.names ? std::string(" (use ") + rule_.names[0] + "-" +
                                         rule_.names[rule_.name_count - 1] + " or a number)"
                                   : " (expected a number)";
    throw ScheduleError(
        "unknown " + std::string(rule_.name) + " '" + std::string(piece.text) + "'" + hint,
        piece.offset + 1);
  }

  const FieldRule& rule_;
};

std::string expand_macro(const std::string& word) {
  if (word == "@yearly" || word == "@annually") return "0 0 1 1 *";
  if (word == "@monthly") return "0 0 1 * *";
  if (word == "@weekly") return "0 0 * * 0";
  if (word == "@daily" || word == "@midnight") return "0 0 * * *";
  if (word == "@hourly") return "0 * * * *";
  return "";
}

}  // namespace

ScheduleError::ScheduleError(std::string reason, std::size_t column)
    : std::runtime_error(reason + " at column " + std::to_string(column)),
      reason_(std::move(reason)),
      column_(column) {}

ScheduleSpec parse_schedule(std::string_view text) {
  ScheduleSpec spec;
  spec.text_ = std::string(text);
  std::vector<Piece> fields = fields_of(text);
  if (fields.empty()) {
    throw ScheduleError("empty schedule (write 'every 4h' or a cron line such as '0 */4 * * *')",
                        1);
  }

  if (fields[0].text == "every") {
    if (fields.size() < 2) {
      throw ScheduleError("expected an interval after 'every', e.g. 'every 4h'",
                          fields[0].offset + 6);
    }
    const Piece& amount = fields[1];
    std::size_t digits = 0;
    while (digits < amount.text.size() && is_digit(amount.text[digits])) ++digits;
    if (digits == 0) {
      throw ScheduleError("expected a number after 'every', e.g. 'every 4h'", amount.offset + 1);
    }
    if (digits == amount.text.size()) {
      throw ScheduleError("missing unit after " + std::string(amount.text) +
                              " (use s, m, h or d, e.g. 'every " + std::string(amount.text) + "h')",
                          amount.offset + digits + 1);
    }
    const std::string_view unit = amount.text.substr(digits);
    std::int64_t unit_seconds = 0;
    if (unit == "s") unit_seconds = 1;
    if (unit == "m") unit_seconds = 60;
    if (unit == "h") unit_seconds = 3600;
    if (unit == "d") unit_seconds = 86400;
    if (unit_seconds == 0) {
      throw ScheduleError("unknown unit '" + std::string(unit) + "' in interval (use s, m, h or d)",
                          amount.offset + digits + 1);
    }
    std::int64_t count = 0;
    for (std::size_t i = 0; i < digits; ++i) {
      count = count * 10 + (amount.text[i] - '0');
      if (count * unit_seconds > kMaxIntervalSeconds) break;
    }
    if (count == 0) throw ScheduleError("interval must be at least 1", amount.offset + 1);
    if (count * unit_seconds > kMaxIntervalSeconds) {
      throw ScheduleError("interval is longer than 366 days", amount.offset + 1);
    }
    if (fields.size() > 2) {
      throw ScheduleError("unexpected '" + std::string(fields[2].text) + "' after the interval",
                          fields[2].offset + 1);
    }
    spec.interval_ = std::chrono::seconds(count * unit_seconds);
    return spec;
  }

  std::string expanded;
  if (fields[0].text.front() == '@') {
    expanded = expand_macro(lower(fields[0].text));
    if (expanded.empty()) {
      throw ScheduleError("unknown schedule '" + std::string(fields[0].text) +
                              "' (use @hourly, @daily, @weekly, @monthly or @yearly)",
                          fields[0].offset + 1);
    }
    if (fields.size() > 1) {
      throw ScheduleError(
          "unexpected '" + std::string(fields[1].text) + "' after " + std::string(fields[0].text),
          fields[1].offset + 1);
    }
    const std::size_t at = fields[0].offset;
    fields = fields_of(expanded);
    for (Piece& field : fields) field.offset = at;  // errors cannot happen; keep columns sane
  }
  if (fields.size() < 5) {
    throw ScheduleError(
        "expected 5 cron fields (minute hour day-of-month month day-of-week) or "
        "'every <n><s|m|h|d>', got " +
            std::to_string(fields.size()) + " field" + (fields.size() == 1 ? "" : "s"),
        text.size() + 1);
  }
  if (fields.size() > 5) {
    throw ScheduleError("unexpected 6th field '" + std::string(fields[5].text) +
                            "' (cron takes 5: minute hour day-of-month month day-of-week)",
                        fields[5].offset + 1);
  }
  ScheduleSpec::Cron& cron = spec.cron_;
  CronFieldParser(kRules[0]).parse(fields[0], cron.minutes);
  CronFieldParser(kRules[1]).parse(fields[1], cron.hours);
  CronFieldParser(kRules[2]).parse(fields[2], cron.days_of_month);
  CronFieldParser(kRules[3]).parse(fields[3], cron.months);
  CronFieldParser(kRules[4]).parse(fields[4], cron.days_of_week);
  cron.day_of_month_star = fields[2].text.front() == '*';
  cron.day_of_week_star = fields[4].text.front() == '*';
  ScheduleSpec::TimePoint unused;
  if (!spec.next_cron(ScheduleSpec::TimePoint{}, unused)) {
    throw ScheduleError(
        "day-of-month " + std::string(fields[2].text) + " never occurs in the selected months",
        fields[2].offset + 1);
  }
  return spec;
}

}  // namespace reos::pipeline
