#include "plugin_runtime/json_text_check.hpp"

#include <cstdint>
#include <cstring>

namespace reos::plugin_runtime {
namespace {

constexpr int kMaxDepth = 512;

constexpr uint64_t kOnes = 0x0101010101010101ull;
constexpr uint64_t kHighs = 0x8080808080808080ull;

constexpr uint64_t has_zero_byte(uint64_t v) {
  return (v - kOnes) & ~v & kHighs;
}

// Any byte < 0x20, >= 0x80, '"' or '\\' in the 8 bytes of v (exact for "any", per SWAR).
constexpr bool special_byte_in(uint64_t v) {
  return ((v - kOnes * 0x20) & ~v & kHighs) | (v & kHighs) | has_zero_byte(v ^ (kOnes * '"')) |
         has_zero_byte(v ^ (kOnes * '\\'));
}

class Scanner {
 public:
  explicit Scanner(std::string_view text)
      : p_(reinterpret_cast<const unsigned char*>(text.data())),
        begin_(p_),
        end_(p_ + text.size()) {}

  bool run() {
    skip_space();
    if (p_ == end_ || *p_ != '{') return fail("expected a JSON object");
    if (!value()) return false;
    skip_space();
    if (p_ != end_) return fail("unexpected text after the object");
    return true;
  }

  const char* error() const { return error_; }
  std::size_t offset() const { return static_cast<std::size_t>(p_ - begin_); }

 private:
  bool fail(const char* why) {
    error_ = why;
    return false;
  }

  void skip_space() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }

  // Containers are walked iteratively with an explicit stack: deep input cannot overflow ours.
  bool value() {
    char stack[kMaxDepth];
    int depth = 0;
    for (;;) {
      skip_space();
      if (p_ == end_) return fail("unexpected end of input");
      const unsigned char c = *p_;
      if (c == '{' || c == '[') {
        if (depth == kMaxDepth) return fail("nesting deeper than 512");
        stack[depth++] = static_cast<char>(c);
        ++p_;
        skip_space();
        if (p_ != end_ && *p_ == (c == '{' ? '}' : ']')) {
          ++p_;
          --depth;
        } else if (c == '{') {
          if (!key()) return false;
          continue;
        } else {
          continue;
        }
      } else if (c == '"') {
        if (!string()) return false;
      } else if (c == '-' || (c >= '0' && c <= '9')) {
        if (!number()) return false;
      } else if (!literal()) {
        return false;
      }
      // After a value: close containers or move to the next element.
      for (;;) {
        if (depth == 0) return true;
        skip_space();
        if (p_ == end_) return fail("unexpected end of input");
        const char open = stack[depth - 1];
        if (*p_ == ',') {
          ++p_;
          if (open == '{' && !key()) return false;
          break;
        }
        if (*p_ == (open == '{' ? '}' : ']')) {
          ++p_;
          --depth;
          continue;
        }
        return fail(open == '{' ? "expected ',' or '}'" : "expected ',' or ']'");
      }
    }
  }

  bool key() {
    skip_space();
    if (p_ == end_ || *p_ != '"') return fail("expected a string key");
    if (!string()) return false;
    skip_space();
    if (p_ == end_ || *p_ != ':') return fail("expected ':'");
    ++p_;
    return true;
  }

  bool literal() {
    for (const char* word : {"true", "false", "null"}) {
      const unsigned char* q = p_;
      const char* w = word;
      while (*w && q != end_ && *q == static_cast<unsigned char>(*w)) ++q, ++w;
      if (!*w) {
        p_ = q;
        return true;
      }
    }
    return fail("unexpected character");
  }

  bool digits() {
    if (p_ == end_ || *p_ < '0' || *p_ > '9') return fail("expected a digit");
    while (p_ != end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    return true;
  }

  bool number() {
    if (*p_ == '-') ++p_;
    if (p_ != end_ && *p_ == '0') {
      ++p_;
    } else if (!digits()) {
      return false;
    }
    if (p_ != end_ && *p_ == '.') {
      ++p_;
      if (!digits()) return false;
    }
    if (p_ != end_ && (*p_ == 'e' || *p_ == 'E')) {
      ++p_;
      if (p_ != end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (!digits()) return false;
    }
    return true;
  }

  static bool hex(unsigned char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  // A UTF-8 sequence starting at p_ (a byte >= 0x80): shortest form, no surrogates, <= U+10FFFF.
  bool utf8() {
    const unsigned char c = *p_;
    int extra;
    uint32_t min;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      extra = 1, min = 0x80, cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      extra = 2, min = 0x800, cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      extra = 3, min = 0x10000, cp = c & 0x07;
    } else {
      return fail("invalid UTF-8");
    }
    if (end_ - p_ <= extra) return fail("invalid UTF-8");
    for (int i = 1; i <= extra; ++i) {
      if ((p_[i] & 0xC0) != 0x80) return fail("invalid UTF-8");
      cp = (cp << 6) | (p_[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return fail("invalid UTF-8");
    }
    p_ += extra + 1;
    return true;
  }

  bool string() {
    ++p_;  // the opening quote
    for (;;) {
      // The common case, plain ASCII, 8 bytes at a time: stop at the first word holding a
      // control character, a non-ASCII byte, a quote or a backslash.
      while (end_ - p_ >= 8) {
        uint64_t v;
        std::memcpy(&v, p_, 8);
        if (special_byte_in(v)) break;
        p_ += 8;
      }
      while (p_ != end_ && *p_ >= 0x20 && *p_ < 0x80 && *p_ != '"' && *p_ != '\\') ++p_;
      if (p_ == end_) return fail("unterminated string");
      const unsigned char c = *p_;
      if (c == '"') {
        ++p_;
        return true;
      }
      if (c < 0x20) return fail("control character in string");
      if (c == '\\') {
        ++p_;
        if (p_ == end_) return fail("unterminated string");
        const unsigned char e = *p_;
        if (e == 'u') {
          if (end_ - p_ < 5 || !hex(p_[1]) || !hex(p_[2]) || !hex(p_[3]) || !hex(p_[4])) {
            return fail("bad \\u escape");
          }
          p_ += 5;
        } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' ||
                   e == 'r' || e == 't') {
          ++p_;
        } else {
          return fail("bad escape in string");
        }
        continue;
      }
      if (!utf8()) return false;
    }
  }

  const unsigned char* p_;
  const unsigned char* begin_;
  const unsigned char* end_;
  const char* error_ = "";
};

}  // namespace

bool is_json_object_text(std::string_view text, std::string* why) {
  Scanner scanner(text);
  if (scanner.run()) return true;
  if (why) {
    *why = "invalid JSON at byte " + std::to_string(scanner.offset()) + ": " + scanner.error();
  }
  return false;
}

}  // namespace reos::plugin_runtime
