// A validating single-pass scanner for OData JSON pages (see the header). RFC 8259 grammar;
// strings are checked for escapes and control characters (UTF-8 itself is checked again by
// the host on emit).
#include "reso_page_parser.hpp"

#include <cctype>
#include <cstring>

namespace reso {

namespace {

constexpr int kMaxDepth = 256;

class Scanner {
 public:
  explicit Scanner(std::string_view body)
      : begin_(body.data()), p_(body.data()), end_(body.data() + body.size()) {}

  [[noreturn]] void fail(const std::string& expected) const {
    const bool truncated = p_ >= end_;
    std::size_t line = 1, column = 1;
    for (const char* c = begin_; c < p_ && c < end_; ++c) {
      if (*c == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    const std::string where = truncated ? "the reply ends early (truncated JSON) at byte " +
                                              std::to_string(p_ - begin_) + ", expected "
                                        : "malformed JSON at line " + std::to_string(line) +
                                              " column " + std::to_string(column) + ": expected ";
    throw PageParseError(where + expected, truncated);
  }

  void ws() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }
  bool at_end() const { return p_ >= end_; }
  char peek() const { return p_ < end_ ? *p_ : '\0'; }
  const char* pos() const { return p_; }

  void expect(char c, const char* what) {
    ws();
    if (p_ >= end_ || *p_ != c) fail(what);
    ++p_;
  }
  /// After a member or element: true for ',', false for the closing `close`.
  bool next(char close, const char* what) {
    ws();
    if (p_ < end_ && *p_ == ',') return ++p_, true;
    if (p_ < end_ && *p_ == close) return ++p_, false;
    fail(what);
  }

  /// A string; its raw (escaped) content in `raw`, `escaped` when it holds a backslash.
  void string(std::string_view& raw, bool& escaped) {
    ws();
    if (p_ >= end_ || *p_ != '"') fail("a string");
    const char* start = ++p_;
    escaped = false;
    for (;;) {
      while (p_ < end_ && *p_ != '"' && *p_ != '\\' && static_cast<unsigned char>(*p_) >= 0x20)
        ++p_;
      if (p_ >= end_) fail("the end of a string");
      if (*p_ == '"') break;
      if (*p_ != '\\') fail("no control character inside a string");
      escaped = true;
      if (++p_ >= end_) fail("an escape sequence");
      const char e = *p_;
      if (e == 'u') {
        for (int i = 1; i <= 4; ++i) {
          if (p_ + i >= end_) {
            p_ = end_;
            fail("4 hex digits after \\u");
          }
          if (!std::isxdigit(static_cast<unsigned char>(p_[i]))) {
            p_ += i;
            fail("4 hex digits after \\u");
          }
        }
        p_ += 5;
      } else if (std::strchr("\"\\/bfnrt", e) != nullptr && e != '\0') {
        ++p_;
      } else {
        fail("a valid escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
      }
    }
    raw = std::string_view(start, static_cast<std::size_t>(p_ - start));
    ++p_;
  }

  void number() {
    const char* start = p_;
    if (p_ < end_ && *p_ == '-') ++p_;
    if (p_ < end_ && *p_ == '0') {
      ++p_;
    } else if (p_ < end_ && *p_ >= '1' && *p_ <= '9') {
      while (p_ < end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    } else {
      fail("a number");
    }
    if (p_ < end_ && *p_ == '.') {
      ++p_;
      if (p_ >= end_ || *p_ < '0' || *p_ > '9') fail("digits after the decimal point");
      while (p_ < end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    }
    if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
      ++p_;
      if (p_ < end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (p_ >= end_ || *p_ < '0' || *p_ > '9') fail("digits in the exponent");
      while (p_ < end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    }
    if (p_ == start) fail("a number");
  }

  void literal(const char* word) {
    const std::size_t n = std::strlen(word);
    for (std::size_t i = 0; i < n; ++i, ++p_)
      if (p_ >= end_ || *p_ != word[i]) fail(std::string("'") + word + "'");
  }

  /// Any value, validated and skipped.
  void value(int depth) {
    ws();
    if (depth > kMaxDepth) fail("nesting no deeper than 256");
    std::string_view raw;
    bool escaped;
    switch (peek()) {
      case '{':
        ++p_;
        ws();
        if (peek() == '}') return void(++p_);
        do {
          string(raw, escaped);
          expect(':', "':' after a member name");
          value(depth + 1);
        } while (next('}', "',' or '}' in an object"));
        return;
      case '[':
        ++p_;
        ws();
        if (peek() == ']') return void(++p_);
        do value(depth + 1);
        while (next(']', "',' or ']' in an array"));
        return;
      case '"':
        return string(raw, escaped);
      case 't':
        return literal("true");
      case 'f':
        return literal("false");
      case 'n':
        return literal("null");
      default:
        return number();
    }
  }

 private:
  const char* begin_;
  const char* p_;
  const char* end_;
};

void unescape(std::string_view raw, bool escaped, std::string& out) {
  if (!escaped) return void(out.assign(raw.data(), raw.size()));
  out.clear();
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '\\') {
      out += raw[i];
      continue;
    }
    const char e = raw[++i];
    switch (e) {
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'u': {
        unsigned cp =
            static_cast<unsigned>(std::stoul(std::string(raw.substr(i + 1, 4)), nullptr, 16));
        i += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 6 < raw.size() && raw.substr(i + 1, 2) == "\\u") {
          const unsigned lo =
              static_cast<unsigned>(std::stoul(std::string(raw.substr(i + 3, 4)), nullptr, 16));
          if (lo >= 0xDC00 && lo <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            i += 6;
          }
        }
        if (cp < 0x80) {
          out += static_cast<char>(cp);
        } else if (cp < 0x800) {
          out += static_cast<char>(0xC0 | (cp >> 6));
          out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
          out += static_cast<char>(0xE0 | (cp >> 12));
          out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
          out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
          out += static_cast<char>(0xF0 | (cp >> 18));
          out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
          out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
          out += static_cast<char>(0x80 | (cp & 0x3F));
        }
        break;
      }
      default:
        out += e;  // " \ /
    }
  }
}

// "42", 42 → 42; anything else is an error (a count that is not a whole number means the
// server is not the one we think it is).
long long count_value(Scanner& s) {
  s.ws();
  std::string_view raw;
  bool escaped = false;
  const char* start = s.pos();
  if (s.peek() == '"') {
    s.string(raw, escaped);
  } else {
    s.number();
    raw = std::string_view(start, static_cast<std::size_t>(s.pos() - start));
  }
  if (raw.empty() || raw.size() > 18 || escaped)
    throw PageParseError("@odata.count is not a whole number: " + std::string(raw), false);
  long long n = 0;
  for (char c : raw) {
    if (c < '0' || c > '9')
      throw PageParseError("@odata.count is not a whole number: " + std::string(raw), false);
    n = n * 10 + (c - '0');
  }
  return n;
}

void records(Scanner& s, std::string_view key_field, std::string_view ts_field,
             const RecordFn& on_record, PageSummary& summary) {
  s.expect('[', "'[' (the value array)");
  s.ws();
  if (s.peek() == ']') return void(s.expect(']', "']'"));
  PageRecord rec;
  std::string_view raw;
  bool escaped;
  do {
    s.ws();
    if (s.at_end()) s.fail("a record object");
    if (s.peek() != '{')
      throw PageParseError("value[" + std::to_string(summary.records) + "] is not a JSON object",
                           false);
    const char* start = s.pos();
    rec.index = summary.records;
    rec.has_key = rec.has_timestamp = false;
    s.expect('{', "'{'");
    s.ws();
    if (s.peek() != '}') {
      do {
        std::string_view name;
        s.string(name, escaped);
        s.expect(':', "':' after a member name");
        s.ws();
        const bool is_key = name == key_field, is_ts = name == ts_field;
        if ((is_key || is_ts) && s.peek() == '"') {
          s.string(raw, escaped);
          unescape(raw, escaped, is_key ? rec.key : rec.timestamp);
          (is_key ? rec.has_key : rec.has_timestamp) = true;
        } else {
          s.value(2);
        }
      } while (s.next('}', "',' or '}' in a record"));
    } else {
      s.expect('}', "'}'");
    }
    rec.json = std::string_view(start, static_cast<std::size_t>(s.pos() - start));
    on_record(rec);
    ++summary.records;
  } while (s.next(']', "',' or ']' after a record"));
}

}  // namespace

PageSummary parse_page(std::string_view body, std::string_view key_field,
                       std::string_view timestamp_field, const RecordFn& on_record) {
  Scanner s(body);
  PageSummary summary;
  bool has_value = false;
  s.expect('{', "'{' (an OData JSON object)");
  s.ws();
  if (s.peek() != '}') {
    do {
      std::string_view name;
      bool escaped;
      s.string(name, escaped);
      s.expect(':', "':' after a member name");
      if (name == "value") {
        records(s, key_field, timestamp_field, on_record, summary);
        has_value = true;
      } else if (name == "@odata.count" || name == "@count") {
        summary.count = count_value(s);
      } else if (name == "@odata.nextLink" || name == "@nextLink") {
        std::string_view raw;
        s.string(raw, escaped);
        unescape(raw, escaped, summary.next_link);
      } else {
        s.value(1);
      }
    } while (s.next('}', "',' or '}' after a member"));
  } else {
    s.expect('}', "'}'");
  }
  s.ws();
  if (!s.at_end()) s.fail("the end of the reply after the JSON object");
  if (!has_value)
    throw PageParseError("the reply has no 'value' array (is base_url the OData service root?)",
                         false);
  return summary;
}

}  // namespace reso
