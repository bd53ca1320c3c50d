// Evaluation of a parsed predicate against a JSON record. Values are compared in place (strings
// as views into the record), so evaluating a route allocates nothing.
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "pipeline/predicate.hpp"

namespace reos::pipeline {
namespace {

using nlohmann::json;

// A value seen through one lens whether it came from the record or from a literal.
struct Value {
  enum class Kind { kNull, kBool, kInt, kUint, kFloat, kString, kContainer } kind = Kind::kNull;
  bool boolean = false;
  std::int64_t integer = 0;
  std::uint64_t unsigned_integer = 0;
  double real = 0;
  std::string_view string;
  const json* container = nullptr;  // an object or array from the record

  bool is_number() const {
    return kind == Kind::kInt || kind == Kind::kUint || kind == Kind::kFloat;
  }
};

Value from_json(const json* node) {
  Value value;
  if (!node) return value;
  switch (node->type()) {
    case json::value_t::boolean:
      value.kind = Value::Kind::kBool;
      value.boolean = node->get<bool>();
      break;
    case json::value_t::number_integer:
      value.kind = Value::Kind::kInt;
      value.integer = node->get<std::int64_t>();
      break;
    case json::value_t::number_unsigned:
      value.kind = Value::Kind::kUint;
      value.unsigned_integer = node->get<std::uint64_t>();
      break;
    case json::value_t::number_float:
      value.kind = Value::Kind::kFloat;
      value.real = node->get<double>();
      break;
    case json::value_t::string:
      value.kind = Value::Kind::kString;
      value.string = node->get_ref<const std::string&>();
      break;
    case json::value_t::object:
    case json::value_t::array:
      value.kind = Value::Kind::kContainer;
      value.container = node;
      break;
    default:
      break;
  }
  return value;
}

Value from_literal(const Literal& literal) {
  Value value;
  if (const auto* b = std::get_if<bool>(&literal)) {
    value.kind = Value::Kind::kBool;
    value.boolean = *b;
  } else if (const auto* i = std::get_if<std::int64_t>(&literal)) {
    value.kind = Value::Kind::kInt;
    value.integer = *i;
  } else if (const auto* d = std::get_if<double>(&literal)) {
    value.kind = Value::Kind::kFloat;
    value.real = *d;
  } else if (const auto* s = std::get_if<std::string>(&literal)) {
    value.kind = Value::Kind::kString;
    value.string = *s;
  }
  return value;
}

const json* resolve(const FieldPath& path, const json& record) {
  const json* node = &record;
  for (const PathStep& step : path.steps) {
    if (step.is_index) {
      if (!node->is_array() || step.index >= node->size()) return nullptr;
      node = &(*node)[step.index];
    } else {
      if (!node->is_object()) return nullptr;
      const auto it = node->find(step.key);
      if (it == node->end()) return nullptr;
      node = &*it;
    }
  }
  return node;
}

Value value_of(const Operand& operand, const json& record) {
  if (const auto* path = std::get_if<FieldPath>(&operand)) return from_json(resolve(*path, record));
  return from_literal(std::get<Literal>(operand));
}

// -1, 0, 1, or nullopt when unordered (a NaN). Integers compare exactly; a float on either
// side compares as long double (exact for every int64 and double on x86-64).
std::optional<int> compare_numbers(const Value& a, const Value& b) {
  using K = Value::Kind;
  const auto sign = [](auto x, auto y) { return x < y ? -1 : (y < x ? 1 : 0); };
  if (a.kind == K::kInt && b.kind == K::kInt) return sign(a.integer, b.integer);
  if (a.kind == K::kUint && b.kind == K::kUint) return sign(a.unsigned_integer, b.unsigned_integer);
  if (a.kind == K::kInt && b.kind == K::kUint) {
    return a.integer < 0 ? -1 : sign(static_cast<std::uint64_t>(a.integer), b.unsigned_integer);
  }
  if (a.kind == K::kUint && b.kind == K::kInt) {
    return b.integer < 0 ? 1 : sign(a.unsigned_integer, static_cast<std::uint64_t>(b.integer));
  }
  const auto as_real = [](const Value& v) -> long double {
    if (v.kind == K::kInt) return static_cast<long double>(v.integer);
    if (v.kind == K::kUint) return static_cast<long double>(v.unsigned_integer);
    return v.real;
  };
  const long double x = as_real(a);
  const long double y = as_real(b);
  if (x != x || y != y) return std::nullopt;
  return sign(x, y);
}

bool equal(const Value& a, const Value& b) {
  using K = Value::Kind;
  if (a.is_number() && b.is_number()) return compare_numbers(a, b) == 0;
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case K::kNull:
      return true;
    case K::kBool:
      return a.boolean == b.boolean;
    case K::kString:
      return a.string == b.string;
    case K::kContainer:
      return *a.container == *b.container;
    default:
      return false;
  }
}

// Ordering exists only between two numbers or two strings (bytewise, as memcmp).
std::optional<int> order(const Value& a, const Value& b) {
  if (a.is_number() && b.is_number()) return compare_numbers(a, b);
  if (a.kind == Value::Kind::kString && b.kind == Value::Kind::kString) {
    const int c = a.string.compare(b.string);
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  return std::nullopt;
}

bool compare(CompareOp op, const Value& a, const Value& b) {
  switch (op) {
    case CompareOp::kEq:
      return equal(a, b);
    case CompareOp::kNe:
      return !equal(a, b);
    default:
      break;
  }
  const std::optional<int> c = order(a, b);
  if (!c) return false;
  switch (op) {
    case CompareOp::kLt:
      return *c < 0;
    case CompareOp::kLe:
      return *c <= 0;
    case CompareOp::kGt:
      return *c > 0;
    default:
      return *c >= 0;
  }
}

bool evaluate(const PredicateNode& node, const json& record) {
  struct Visitor {
    const json& record;
    bool operator()(const OrNode& n) const {
      for (const auto& child : n.children) {
        if (evaluate(*child, record)) return true;
      }
      return false;
    }
    bool operator()(const AndNode& n) const {
      for (const auto& child : n.children) {
        if (!evaluate(*child, record)) return false;
      }
      return true;
    }
    bool operator()(const NotNode& n) const { return !evaluate(*n.child, record); }
    bool operator()(const CompareNode& n) const {
      return compare(n.op, value_of(n.left, record), value_of(n.right, record));
    }
    bool operator()(const InNode& n) const {
      const Value value = value_of(n.operand, record);
      for (const Literal& item : n.items) {
        if (equal(value, from_literal(item))) return true;
      }
      return false;
    }
    bool operator()(const ExistsNode& n) const {
      const json* found = resolve(n.path, record);
      return found && !found->is_null();
    }
    bool operator()(const TruthNode& n) const {
      const Value value = value_of(n.operand, record);
      return value.kind == Value::Kind::kBool && value.boolean;
    }
  };
  return std::visit(Visitor{record}, node.node);
}

}  // namespace

Predicate::Predicate()
    : root_(std::make_shared<const PredicateNode>(PredicateNode{TruthNode{Literal{true}}})) {}

Predicate::Predicate(PredicateNodePtr root) : root_(std::move(root)) {}

bool Predicate::matches(const RecordJson& record) const {
  return evaluate(*root_, record.value());
}

bool Predicate::matches(std::string_view record_json) const {
  return matches(RecordJson::parse(record_json));
}

}  // namespace reos::pipeline
