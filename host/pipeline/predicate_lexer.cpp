#include "pipeline/predicate_lexer.hpp"

#include <cerrno>
#include <cstdlib>
#include <utility>

namespace reos::pipeline {
namespace {

bool is_ident_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_ident_char(char c) {
  return is_ident_start(c) || is_digit(c);
}
bool is_operator_char(char c) {
  return c == '=' || c == '!' || c == '<' || c == '>';
}

void append_utf8(std::string& out, unsigned long code_point) {
  if (code_point < 0x80) {
    out += static_cast<char>(code_point);
  } else if (code_point < 0x800) {
    out += static_cast<char>(0xC0 | (code_point >> 6));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else if (code_point < 0x10000) {
    out += static_cast<char>(0xE0 | (code_point >> 12));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code_point >> 18));
    out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  }
}

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  std::vector<Token> run() {
    std::vector<Token> tokens;
    while (true) {
      while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                     text_[pos_] == '\n' || text_[pos_] == '\r')) {
        ++pos_;
      }
      if (pos_ >= text_.size()) break;
      tokens.push_back(next());
    }
    tokens.push_back({TokenKind::kEnd, text_.size() + 1, "", nullptr});
    return tokens;
  }

 private:
  Token next() {
    const std::size_t start = pos_;
    const char c = text_[pos_];
    if (is_ident_start(c)) return word(start);
    if (is_digit(c) || (c == '-' && pos_ + 1 < text_.size() && is_digit(text_[pos_ + 1]))) {
      return number(start);
    }
    if (c == '"' || c == '\'') return string(start, c);
    if (is_operator_char(c)) return op(start);
    const auto single = [&](TokenKind kind) {
      ++pos_;
      return Token{kind, start + 1, std::string(1, c), nullptr};
    };
    switch (c) {
      case '(':
        return single(TokenKind::kLParen);
      case ')':
        return single(TokenKind::kRParen);
      case '[':
        return single(TokenKind::kLBracket);
      case ']':
        return single(TokenKind::kRBracket);
      case ',':
        return single(TokenKind::kComma);
      case '.':
        return single(TokenKind::kDot);
      default:
        break;
    }
    if (c == '&' || c == '|') {
      throw PredicateError(
          std::string("unknown operator '") + c +
              (pos_ + 1 < text_.size() && text_[pos_ + 1] == c ? std::string(1, c) : "") +
              "' (use '" + (c == '&' ? "and" : "or") + "')",
          start + 1);
    }
    const unsigned char byte = static_cast<unsigned char>(c);
    const std::string shown =
        byte < 0x20 || byte >= 0x7F ? "byte 0x" + hex(byte) : "'" + std::string(1, c) + "'";
    throw PredicateError("unexpected character " + shown, start + 1);
  }

  static std::string hex(unsigned char byte) {
    static const char* digits = "0123456789ABCDEF";
    return {digits[byte >> 4], digits[byte & 0xF]};
  }

  Token word(std::size_t start) {
    while (pos_ < text_.size() && is_ident_char(text_[pos_])) ++pos_;
    const std::string word(text_.substr(start, pos_ - start));
    static const std::pair<const char*, TokenKind> kKeywords[] = {
        {"and", TokenKind::kAnd},     {"or", TokenKind::kOr},         {"not", TokenKind::kNot},
        {"in", TokenKind::kIn},       {"exists", TokenKind::kExists}, {"true", TokenKind::kTrue},
        {"false", TokenKind::kFalse}, {"null", TokenKind::kNull}};
    for (const auto& [keyword, kind] : kKeywords) {
      if (word == keyword) return {kind, start + 1, word, nullptr};
    }
    return {TokenKind::kIdentifier, start + 1, word, nullptr};
  }

  Token number(std::size_t start) {
    if (text_[pos_] == '-') ++pos_;
    while (pos_ < text_.size() && is_digit(text_[pos_])) ++pos_;
    bool is_integer = true;
    if (pos_ < text_.size() && text_[pos_] == '.' && pos_ + 1 < text_.size() &&
        is_digit(text_[pos_ + 1])) {
      is_integer = false;
      ++pos_;
      while (pos_ < text_.size() && is_digit(text_[pos_])) ++pos_;
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      std::size_t exponent = pos_ + 1;
      if (exponent < text_.size() && (text_[exponent] == '+' || text_[exponent] == '-')) {
        ++exponent;
      }
      if (exponent < text_.size() && is_digit(text_[exponent])) {
        is_integer = false;
        pos_ = exponent;
        while (pos_ < text_.size() && is_digit(text_[pos_])) ++pos_;
      }
    }
    if (pos_ < text_.size() && is_ident_char(text_[pos_])) {
      while (pos_ < text_.size() && is_ident_char(text_[pos_])) ++pos_;
      throw PredicateError(
          "invalid number '" + std::string(text_.substr(start, pos_ - start)) + "'", start + 1);
    }
    const std::string digits(text_.substr(start, pos_ - start));
    Token token{TokenKind::kNumber, start + 1, digits, nullptr};
    if (is_integer) {
      errno = 0;
      const long long value = std::strtoll(digits.c_str(), nullptr, 10);
      if (errno != ERANGE) {
        token.literal = static_cast<std::int64_t>(value);
        return token;
      }
    }
    token.literal = std::strtod(digits.c_str(), nullptr);
    return token;
  }

  Token string(std::size_t start, char quote) {
    ++pos_;
    std::string value;
    while (pos_ < text_.size() && text_[pos_] != quote) {
      const char c = text_[pos_];
      if (c != '\\') {
        value += c;
        ++pos_;
        continue;
      }
      if (pos_ + 1 >= text_.size()) break;
      const char escape = text_[pos_ + 1];
      switch (escape) {
        case '"':
        case '\'':
        case '\\':
        case '/':
          value += escape;
          break;
        case 'n':
          value += '\n';
          break;
        case 't':
          value += '\t';
          break;
        case 'r':
          value += '\r';
          break;
        case 'u': {
          const unsigned long code = hex4(pos_ + 2);
          if (code == kBadHex || (code >= 0xD800 && code <= 0xDFFF)) {
            throw PredicateError("invalid escape '\\u' (expected 4 hex digits, not a surrogate)",
                                 pos_ + 1);
          }
          append_utf8(value, code);
          pos_ += 6;
          continue;
        }
        default:
          throw PredicateError(std::string("invalid escape '\\") + escape + "' in string",
                               pos_ + 1);
      }
      pos_ += 2;
    }
    if (pos_ >= text_.size()) {
      throw PredicateError("unterminated string", start + 1);
    }
    ++pos_;
    return {TokenKind::kString, start + 1, std::string(text_.substr(start, pos_ - start)),
            std::move(value)};
  }

  static constexpr unsigned long kBadHex = 0xFFFFFFFF;
  unsigned long hex4(std::size_t at) const {
    if (at + 4 > text_.size()) return kBadHex;
    unsigned long code = 0;
    for (std::size_t i = at; i < at + 4; ++i) {
      const char h = text_[i];
      code <<= 4;
      if (h >= '0' && h <= '9') {
        code |= static_cast<unsigned long>(h - '0');
      } else if (h >= 'a' && h <= 'f') {
        code |= static_cast<unsigned long>(h - 'a' + 10);
      } else if (h >= 'A' && h <= 'F') {
        code |= static_cast<unsigned long>(h - 'A' + 10);
      } else {
        return kBadHex;
      }
    }
    return code;
  }

  Token op(std::size_t start) {
    while (pos_ < text_.size() && is_operator_char(text_[pos_])) ++pos_;
    const std::string text(text_.substr(start, pos_ - start));
    static const std::pair<const char*, TokenKind> kOperators[] = {
        {"==", TokenKind::kEq}, {"!=", TokenKind::kNe}, {"<", TokenKind::kLt},
        {"<=", TokenKind::kLe}, {">", TokenKind::kGt},  {">=", TokenKind::kGe}};
    for (const auto& [spelling, kind] : kOperators) {
      if (text == spelling) return {kind, start + 1, text, nullptr};
    }
    std::string hint;
    if (text == "=") hint = " (use '==')";
    if (text == "!") hint = " (use 'not' or '!=')";
    if (text == "=<") hint = " (use '<=')";
    if (text == "=>") hint = " (use '>=')";
    if (text == "<>") hint = " (use '!=')";
    throw PredicateError("unknown operator '" + text + "'" + hint, start + 1);
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

std::vector<Token> tokenize_predicate(std::string_view text) {
  return Lexer(text).run();
}

std::string describe(const Token& token) {
  if (token.kind == TokenKind::kEnd) return "the end";
  if (token.kind == TokenKind::kString) return token.text;
  return "'" + token.text + "'";
}

}  // namespace reos::pipeline
