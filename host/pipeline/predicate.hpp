#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "pipeline/record_json.hpp"

namespace reos::pipeline {

/// A literal written in a predicate: null, true/false, an integer, a decimal, or a string.
using Literal = std::variant<std::nullptr_t, bool, std::int64_t, double, std::string>;

/// One step of a field path: a key (`contact`, `email`) or an array index (`[0]`).
struct PathStep {
  std::string key;        ///< the key; empty for an index step
  std::size_t index = 0;  ///< the index when `is_index`
  bool is_index = false;
};

/// A field path into the record payload: `Media[0].MediaURL` is key, index, key.
struct FieldPath {
  std::vector<PathStep> steps;
  std::string text() const;  ///< as written, normalised: `Media[0].MediaURL`
};

/// A comparison side: a field of the record or a literal.
using Operand = std::variant<FieldPath, Literal>;

enum class CompareOp { kEq, kNe, kLt, kLe, kGt, kGe };

struct PredicateNode;
using PredicateNodePtr = std::shared_ptr<const PredicateNode>;

/// `a or b or ...` (at least two children).
struct OrNode {
  std::vector<PredicateNodePtr> children;
};
/// `a and b and ...` (at least two children).
struct AndNode {
  std::vector<PredicateNodePtr> children;
};
struct NotNode {
  PredicateNodePtr child;
};
struct CompareNode {
  CompareOp op;
  Operand left;
  Operand right;
};
/// `operand in [literal, ...]`: true when the operand equals (`==`) any item.
struct InNode {
  Operand operand;
  std::vector<Literal> items;
};
/// `exists(path)`: true when the path resolves to a value other than null.
struct ExistsNode {
  FieldPath path;
};
/// A lone operand used as a condition (`IsNew`, `true`): true only when it is boolean true.
struct TruthNode {
  Operand operand;
};

/// One node of the syntax tree. Immutable once built; shared between copies of a Predicate.
struct PredicateNode {
  std::variant<OrNode, AndNode, NotNode, CompareNode, InNode, ExistsNode, TruthNode> node;
};

/// A parsed route predicate (docs/pipelines.md#predicates). Cheap to copy (the tree is shared)
/// and safe to evaluate from many threads at once. Build one with parse_predicate().
///
/// Semantics, in short: a path that does not resolve (missing key, index past the end, a step
/// into a non-container) is null; `==` is strict (different types are never equal, numbers
/// compare by value whatever their JSON representation) and `!=` is exactly its negation;
/// `< <= > >=` hold only between two numbers or two strings (bytewise); `in` is `==` against
/// any item.
class Predicate {
 public:
  /// The predicate that matches every record (a route without `when`).
  Predicate();
  explicit Predicate(PredicateNodePtr root);

  /// Evaluates against an already-parsed record (parse once, evaluate many routes). A record
  /// that is not a JSON object has no fields: every path in it is null.
  bool matches(const RecordJson& record) const;
  /// Parses `record_json` then evaluates. Throws std::invalid_argument when it is not JSON.
  bool matches(std::string_view record_json) const;

  /// The tree, fully parenthesised, for logs and tests: `(a < 5 or (b == "x" and not c))`.
  std::string to_string() const;

  const PredicateNode& root() const { return *root_; }

 private:
  PredicateNodePtr root_;
};

}  // namespace reos::pipeline
