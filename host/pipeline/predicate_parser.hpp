#pragma once

#include <string_view>

#include "pipeline/predicate.hpp"
#include "pipeline/predicate_error.hpp"

namespace reos::pipeline {

/// Parses a route predicate (grammar in docs/pipelines.md#predicates):
///
///     or-expr    := and-expr ('or' and-expr)*
///     and-expr   := not-expr ('and' not-expr)*
///     not-expr   := 'not' not-expr | comparison
///     comparison := operand (('=='|'!='|'<'|'<='|'>'|'>=') operand | 'in' list)?
///                 | 'exists' '(' path ')' | '(' or-expr ')'
///
/// Throws PredicateError with the 1-based column of the first problem, e.g.
/// "expected a value after '<' at column 12". Nesting deeper than kMaxPredicateDepth is refused
/// (the evaluator recurses, and no sensible route needs it).
Predicate parse_predicate(std::string_view text);

/// How deeply parentheses and `not` may nest.
inline constexpr int kMaxPredicateDepth = 64;

}  // namespace reos::pipeline
