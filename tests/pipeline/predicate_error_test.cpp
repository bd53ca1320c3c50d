// Every way a predicate can be wrong, with the exact message and 1-based column an operator
// sees.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pipeline/predicate_parser.hpp"

namespace reos::pipeline {
namespace {

struct ErrorRow {
  const char* expression;
  const char* message;
};

const std::vector<ErrorRow> kErrors = {
    {"ListPrice <", "expected a value after '<' at column 12"},
    {"ListPrice < and x", "expected a value after '<' but found 'and' at column 13"},
    {"ListPrice =< 5", "unknown operator '=<' (use '<=') at column 11"},
    {"ListPrice = 5", "unknown operator '=' (use '==') at column 11"},
    {"!Pool", "unknown operator '!' (use 'not' or '!=') at column 1"},
    {"a == 1 && b == 2", "unknown operator '&&' (use 'and') at column 8"},
    {"City == \"Seattle", "unterminated string at column 9"},
    {"City == 'Kent", "unterminated string at column 9"},
    {"City == \"a\\qb\"", "invalid escape '\\q' in string at column 11"},
    {"and x == 1", "unexpected 'and' at column 1"},
    {"x == 1 and", "expected a condition after 'and' at column 11"},
    {"x == 1 or or y", "expected a condition after 'or' but found 'or' at column 11"},
    {"", "expected a condition at column 1"},
    {"   ", "expected a condition at column 4"},
    {"x == 1 y == 2", "expected 'and', 'or' or the end but found 'y' at column 8"},
    {"x == 1)", "unexpected ')' (no '(' to close) at column 7"},
    {"(x == 1", "unclosed '(' at column 1"},
    {"(x == 1 y)", "expected ')' but found 'y' at column 9"},
    {"x in 5", "expected a list such as [\"a\", \"b\"] after 'in' but found '5' at column 6"},
    {"x in []", "expected a value in the list but found ']' at column 7"},
    {"x in [1, y]",
     "list items must be literals (numbers, strings, true, false, null), not field "
     "paths at column 10"},
    {"x in [1 2]", "expected ',' or ']' in the list but found '2' at column 9"},
    {"x in [1,", "unclosed '[' at column 6"},
    {"exists x", "expected '(' after 'exists' but found 'x' at column 8"},
    {"exists(1)", "expected a field path after '(' but found '1' at column 8"},
    {"exists(a", "expected ')' to close 'exists(' at column 9"},
    {"Media[x] == 1",
     "expected an array index (an integer from 0) after '[' but found 'x' at "
     "column 7"},
    {"Media[-1] == 1",
     "expected an array index (an integer from 0) after '[' but found '-1' at "
     "column 7"},
    {"Media[0 == 1", "expected ']' but found '==' at column 9"},
    {"contact. == 1", "expected a field name after '.' but found '==' at column 10"},
    {"5", "expected an operator (== != < <= > >= in) after '5' at column 2"},
    {"\"x\" and y",
     "expected an operator (== != < <= > >= in) after \"x\" but found 'and' at "
     "column 5"},
    {"x == 12abc", "invalid number '12abc' at column 6"},
    {"x == 1 # comment", "unexpected character '#' at column 8"},
    {"x == 1 < 2", "expected 'and', 'or' or the end but found '<' at column 8"},
};

TEST(PredicateErrors, TableOfExpressionsAndExactMessages) {
  ASSERT_GE(kErrors.size(), 12u);
  for (const ErrorRow& row : kErrors) {
    SCOPED_TRACE(row.expression);
    try {
      const Predicate parsed = parse_predicate(row.expression);
      ADD_FAILURE() << "parsed as " << parsed.to_string();
    } catch (const PredicateError& e) {
      EXPECT_EQ(std::string(e.what()), row.message);
    }
  }
}

TEST(PredicateErrors, CarriesReasonAndColumnSeparately) {
  try {
    parse_predicate("ListPrice < 5 and City ==");
    FAIL() << "parsed";
  } catch (const PredicateError& e) {
    EXPECT_EQ(e.reason(), "expected a value after '=='");
    EXPECT_EQ(e.column(), 26u);
  }
}

TEST(PredicateErrors, RefusesNestingDeeperThanTheLimit) {
  const std::string deep_ok =
      std::string(kMaxPredicateDepth, '(') + "a" + std::string(kMaxPredicateDepth, ')');
  EXPECT_NO_THROW(parse_predicate(deep_ok));
  const std::string too_deep = "not " + deep_ok;
  try {
    parse_predicate(too_deep);
    FAIL() << "parsed";
  } catch (const PredicateError& e) {
    EXPECT_EQ(std::string(e.what()),
              "expression nests too deeply (more than 64 levels of '(' and 'not') at column 68");
  }
}

}  // namespace
}  // namespace reos::pipeline
