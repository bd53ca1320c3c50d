#include "listings/value_convert.hpp"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace reos::listings {
namespace {

bool digits(const std::string& s, std::size_t pos, std::size_t n) {
  if (pos + n > s.size()) return false;
  for (std::size_t i = pos; i < pos + n; ++i)
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  return true;
}

int num(const std::string& s, std::size_t pos, std::size_t n) {
  return std::atoi(s.substr(pos, n).c_str());
}

bool leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int days_in(int y, int m) {
  static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : d[m - 1];
}

/// Parses the date part; `rest` is the index just after it.
bool parse_date(const std::string& t, std::string& out, std::size_t& rest, std::string& why) {
  int y, m, d;
  if (digits(t, 0, 4) && t.size() >= 10 && t[4] == '-' && digits(t, 5, 2) && t[7] == '-' &&
      digits(t, 8, 2)) {
    y = num(t, 0, 4), m = num(t, 5, 2), d = num(t, 8, 2);
    rest = 10;
  } else if (digits(t, 0, 8)) {
    y = num(t, 0, 4), m = num(t, 4, 2), d = num(t, 6, 2);
    rest = 8;
  } else {
    why = "'" + t + "' is not a date (YYYY-MM-DD or YYYYMMDD)";
    return false;
  }
  if (m < 1 || m > 12 || d < 1 || d > days_in(y, m)) {
    why = "'" + t + "' is not a calendar date";
    return false;
  }
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  out = buf;
  return true;
}

}  // namespace

bool to_number(const std::string& text, double& out, std::string& why) {
  const char* begin = text.c_str();
  char* end = nullptr;
  errno = 0;
  if (text.empty() || std::isspace(static_cast<unsigned char>(text[0]))) {
    why = "'" + text + "' is not a number";
    return false;
  }
  out = std::strtod(begin, &end);
  if (end != begin + text.size() || errno == ERANGE || !std::isfinite(out) ||
      text.find_first_of("xXnN") != std::string::npos) {  // no hex, inf or nan
    why = "'" + text + "' is not a number";
    return false;
  }
  return true;
}

bool to_integer(const std::string& text, bool round_down, long long& out, std::string& why) {
  double d;
  if (!to_number(text, d, why)) return false;
  if (std::fabs(d) > 9007199254740992.0) {
    why = "'" + text + "' is out of range";
    return false;
  }
  if (d != std::floor(d) && !round_down) {
    why = "'" + text + "' is not a whole number";
    return false;
  }
  out = static_cast<long long>(std::floor(d));
  return true;
}

bool to_date(const std::string& text, std::string& out, std::string& why) {
  std::size_t rest = 0;
  if (!parse_date(text, out, rest, why)) return false;
  if (rest != text.size() && text[rest] != 'T' && text[rest] != ' ') {
    why = "'" + text + "' is not a date (YYYY-MM-DD or YYYYMMDD)";
    return false;
  }
  return true;
}

bool to_timestamp(const std::string& text, std::string& out, std::string& why) {
  std::string date;
  std::size_t i = 0;
  if (!parse_date(text, date, i, why)) return false;
  int hh = 0, mm = 0, ss = 0;
  std::string frac, zone = "Z";
  const auto bad = [&] {
    why = "'" + text + "' is not a timestamp (RFC 3339 or YYYYMMDDTHHMMSS)";
    return false;
  };
  if (i < text.size()) {
    if (text[i] != 'T' && text[i] != ' ') return bad();
    ++i;
    if (digits(text, i, 6)) {
      hh = num(text, i, 2), mm = num(text, i + 2, 2), ss = num(text, i + 4, 2);
      i += 6;
    } else if (digits(text, i, 2) && i + 8 <= text.size() && text[i + 2] == ':' &&
               digits(text, i + 3, 2) && text[i + 5] == ':' && digits(text, i + 6, 2)) {
      hh = num(text, i, 2), mm = num(text, i + 3, 2), ss = num(text, i + 6, 2);
      i += 8;
      if (i < text.size() && text[i] == '.') {
        std::size_t j = i + 1;
        while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) ++j;
        if (j == i + 1) return bad();
        frac = text.substr(i, j - i);
        i = j;
      }
    } else {
      return bad();
    }
    if (i < text.size()) {
      if (text[i] == 'Z' && i + 1 == text.size()) {
        zone = "Z";
      } else if ((text[i] == '+' || text[i] == '-') && i + 6 == text.size() &&
                 digits(text, i + 1, 2) && text[i + 3] == ':' && digits(text, i + 4, 2)) {
        zone = text.substr(i);
      } else {
        return bad();
      }
    }
  }
  if (hh > 23 || mm > 59 || ss > 60) return bad();
  char buf[48];
  std::snprintf(buf, sizeof buf, "T%02d:%02d:%02d", hh, mm, ss);
  out = date + buf + frac + zone;
  return true;
}

bool to_boolean(const std::string& text, bool& out, std::string& why) {
  std::string t;
  for (char c : text) t.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (t == "true" || t == "yes" || t == "y" || t == "1") return out = true, true;
  if (t == "false" || t == "no" || t == "n" || t == "0") return out = false, true;
  why = "'" + text + "' is not a boolean";
  return false;
}

}  // namespace reos::listings
