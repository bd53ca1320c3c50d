// Canonical text of a predicate: every and/or group parenthesised, literals as JSON, so tests
// and logs show exactly how an expression was grouped.
#include <nlohmann/json.hpp>

#include "pipeline/predicate.hpp"

namespace reos::pipeline {
namespace {

std::string literal_text(const Literal& literal) {
  return std::visit([](const auto& value) { return nlohmann::json(value).dump(); }, literal);
}

std::string operand_text(const Operand& operand) {
  if (const auto* path = std::get_if<FieldPath>(&operand)) return path->text();
  return literal_text(std::get<Literal>(operand));
}

const char* op_text(CompareOp op) {
  switch (op) {
    case CompareOp::kEq:
      return "==";
    case CompareOp::kNe:
      return "!=";
    case CompareOp::kLt:
      return "<";
    case CompareOp::kLe:
      return "<=";
    case CompareOp::kGt:
      return ">";
    default:
      return ">=";
  }
}

std::string node_text(const PredicateNode& node) {
  struct Visitor {
    std::string join(const std::vector<PredicateNodePtr>& children, const char* word) const {
      std::string text = "(";
      for (std::size_t i = 0; i < children.size(); ++i) {
        if (i > 0) text += std::string(" ") + word + " ";
        text += node_text(*children[i]);
      }
      return text + ")";
    }
    std::string operator()(const OrNode& n) const { return join(n.children, "or"); }
    std::string operator()(const AndNode& n) const { return join(n.children, "and"); }
    std::string operator()(const NotNode& n) const { return "not " + node_text(*n.child); }
    std::string operator()(const CompareNode& n) const {
      return operand_text(n.left) + " " + op_text(n.op) + " " + operand_text(n.right);
    }
    std::string operator()(const InNode& n) const {
      std::string text = operand_text(n.operand) + " in [";
      for (std::size_t i = 0; i < n.items.size(); ++i) {
        text += (i > 0 ? ", " : "") + literal_text(n.items[i]);
      }
      return text + "]";
    }
    std::string operator()(const ExistsNode& n) const { return "exists(" + n.path.text() + ")"; }
    std::string operator()(const TruthNode& n) const { return operand_text(n.operand); }
  };
  return std::visit(Visitor{}, node.node);
}

}  // namespace

std::string FieldPath::text() const {
  std::string text;
  for (const PathStep& step : steps) {
    if (step.is_index) {
      text += "[" + std::to_string(step.index) + "]";
    } else {
      text += (text.empty() ? "" : ".") + step.key;
    }
  }
  return text;
}

std::string Predicate::to_string() const {
  return node_text(*root_);
}

}  // namespace reos::pipeline
