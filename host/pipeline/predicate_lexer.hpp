#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/predicate.hpp"
#include "pipeline/predicate_error.hpp"

namespace reos::pipeline {

enum class TokenKind {
  kIdentifier,  ///< a field name (keywords are their own kinds)
  kNumber,      ///< `literal` holds an int64 or a double
  kString,      ///< `literal` holds the unescaped text
  kTrue,
  kFalse,
  kNull,
  kAnd,
  kOr,
  kNot,
  kIn,
  kExists,
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kLParen,
  kRParen,
  kLBracket,
  kRBracket,
  kComma,
  kDot,
  kEnd,  ///< after the last token; `column` is one past the text
};

struct Token {
  TokenKind kind;
  std::size_t column;  ///< 1-based byte column of the token's first character
  std::string text;    ///< the token as written (for messages)
  Literal literal;     ///< numbers and strings only
};

/// Splits a predicate into tokens, ending with one kEnd token. Throws PredicateError for an
/// unknown operator (`=<`, `=`, `!`), an unterminated string, a bad escape, or a character that
/// starts no token.
std::vector<Token> tokenize_predicate(std::string_view text);

/// How a token reads in an error message: `'and'`, `'<'`, `"Seattle"`, or "the end".
std::string describe(const Token& token);

}  // namespace reos::pipeline
