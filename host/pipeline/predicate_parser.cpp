#include "pipeline/predicate_parser.hpp"

#include <optional>
#include <utility>
#include <vector>

#include "pipeline/predicate_lexer.hpp"

namespace reos::pipeline {
namespace {

PredicateNodePtr make(decltype(PredicateNode::node) node) {
  return std::make_shared<const PredicateNode>(PredicateNode{std::move(node)});
}

bool is_literal(TokenKind kind) {
  return kind == TokenKind::kNumber || kind == TokenKind::kString || kind == TokenKind::kTrue ||
         kind == TokenKind::kFalse || kind == TokenKind::kNull;
}

std::optional<CompareOp> compare_op(TokenKind kind) {
  switch (kind) {
    case TokenKind::kEq:
      return CompareOp::kEq;
    case TokenKind::kNe:
      return CompareOp::kNe;
    case TokenKind::kLt:
      return CompareOp::kLt;
    case TokenKind::kLe:
      return CompareOp::kLe;
    case TokenKind::kGt:
      return CompareOp::kGt;
    case TokenKind::kGe:
      return CompareOp::kGe;
    default:
      return std::nullopt;
  }
}

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  Predicate parse() {
    PredicateNodePtr root = or_expr(nullptr);
    const Token& rest = peek();
    if (rest.kind == TokenKind::kRParen) fail("unexpected ')' (no '(' to close)", rest);
    if (rest.kind != TokenKind::kEnd) {
      fail("expected 'and', 'or' or the end but found " + describe(rest), rest);
    }
    return Predicate(std::move(root));
  }

 private:
  const Token& peek() const { return tokens_[index_]; }
  const Token& advance() { return tokens_[index_ < tokens_.size() - 1 ? index_++ : index_]; }

  [[noreturn]] static void fail(std::string reason, const Token& at) {
    throw PredicateError(std::move(reason), at.column);
  }
  // "expected X after 'Y'" at the end, "... but found Z" before another token.
  [[noreturn]] void expected(const std::string& what, const Token* after) const {
    const Token& found = peek();
    std::string reason = "expected " + what;
    if (after) reason += " after " + describe(*after);
    if (found.kind != TokenKind::kEnd) reason += " but found " + describe(found);
    fail(std::move(reason), found);
  }

  // `after` names the token that demanded this condition (`and`, `or`, `not`), for messages.
  PredicateNodePtr or_expr(const Token* after) {
    std::vector<PredicateNodePtr> children{and_expr(after)};
    while (peek().kind == TokenKind::kOr) {
      const Token& op = advance();
      children.push_back(and_expr(&op));
    }
    return children.size() == 1 ? children.front() : make(OrNode{std::move(children)});
  }

  PredicateNodePtr and_expr(const Token* after) {
    std::vector<PredicateNodePtr> children{not_expr(after)};
    while (peek().kind == TokenKind::kAnd) {
      const Token& op = advance();
      children.push_back(not_expr(&op));
    }
    return children.size() == 1 ? children.front() : make(AndNode{std::move(children)});
  }

  PredicateNodePtr not_expr(const Token* after) {
    if (peek().kind != TokenKind::kNot) return comparison(after);
    const Token& op = advance();
    DepthGuard guard(*this, op);
    return make(NotNode{not_expr(&op)});
  }

  PredicateNodePtr comparison(const Token* after) {
    const Token& first = peek();
    if (first.kind == TokenKind::kLParen) {
      advance();
      DepthGuard guard(*this, first);
      PredicateNodePtr inner = or_expr(&first);
      if (peek().kind == TokenKind::kEnd) fail("unclosed '('", first);
      if (peek().kind != TokenKind::kRParen) expected("')'", nullptr);
      advance();
      return inner;
    }
    if (first.kind == TokenKind::kExists) {
      advance();
      if (peek().kind != TokenKind::kLParen) expected("'('", &first);
      const Token& open = advance();
      if (peek().kind != TokenKind::kIdentifier) expected("a field path", &open);
      FieldPath path = field_path();
      if (peek().kind != TokenKind::kRParen) expected("')' to close 'exists('", nullptr);
      advance();
      return make(ExistsNode{std::move(path)});
    }
    std::optional<Operand> left = operand();
    if (!left) {
      if (after || peek().kind == TokenKind::kEnd) expected("a condition", after);
      fail("unexpected " + describe(peek()), peek());
    }
    const Token& op = peek();
    if (const std::optional<CompareOp> compare = compare_op(op.kind)) {
      advance();
      std::optional<Operand> right = operand();
      if (!right) expected("a value", &op);
      return make(CompareNode{*compare, std::move(*left), std::move(*right)});
    }
    if (op.kind == TokenKind::kIn) {
      advance();
      return make(InNode{std::move(*left), list(op)});
    }
    if (std::holds_alternative<Literal>(*left)) {
      const Literal& literal = std::get<Literal>(*left);
      if (!std::holds_alternative<bool>(literal)) {
        expected("an operator (== != < <= > >= in)", &first);
      }
    }
    return make(TruthNode{std::move(*left)});
  }

  std::optional<Operand> operand() {
    const Token& token = peek();
    if (token.kind == TokenKind::kIdentifier) return Operand{field_path()};
    if (!is_literal(token.kind)) return std::nullopt;
    return Operand{literal(advance())};
  }

  static Literal literal(const Token& token) {
    switch (token.kind) {
      case TokenKind::kTrue:
        return true;
      case TokenKind::kFalse:
        return false;
      case TokenKind::kNull:
        return nullptr;
      default:
        return token.literal;
    }
  }

  FieldPath field_path() {
    FieldPath path;
    path.steps.push_back({advance().text, 0, false});
    while (true) {
      if (peek().kind == TokenKind::kDot) {
        const Token& dot = advance();
        if (peek().kind != TokenKind::kIdentifier) expected("a field name", &dot);
        path.steps.push_back({advance().text, 0, false});
      } else if (peek().kind == TokenKind::kLBracket) {
        const Token& open = advance();
        const Token& index = peek();
        const auto* value = std::get_if<std::int64_t>(&index.literal);
        if (index.kind != TokenKind::kNumber || !value || *value < 0) {
          expected("an array index (an integer from 0)", &open);
        }
        advance();
        if (peek().kind == TokenKind::kEnd) fail("unclosed '['", open);
        if (peek().kind != TokenKind::kRBracket) expected("']'", nullptr);
        advance();
        path.steps.push_back({"", static_cast<std::size_t>(*value), true});
      } else {
        return path;
      }
    }
  }

  std::vector<Literal> list(const Token& in) {
    if (peek().kind != TokenKind::kLBracket) expected("a list such as [\"a\", \"b\"]", &in);
    const Token& open = advance();
    std::vector<Literal> items;
    while (true) {
      const Token& item = peek();
      if (item.kind == TokenKind::kIdentifier) {
        fail("list items must be literals (numbers, strings, true, false, null), not field " +
                 std::string("paths"),
             item);
      }
      if (!is_literal(item.kind)) {
        if (item.kind == TokenKind::kEnd) fail("unclosed '['", open);
        expected("a value in the list", nullptr);
      }
      items.push_back(literal(advance()));
      if (peek().kind == TokenKind::kComma) {
        advance();
        continue;
      }
      if (peek().kind == TokenKind::kRBracket) {
        advance();
        return items;
      }
      if (peek().kind == TokenKind::kEnd) fail("unclosed '['", open);
      expected("',' or ']' in the list", nullptr);
    }
  }

  class DepthGuard {
   public:
    DepthGuard(Parser& parser, const Token& at) : parser_(parser) {
      if (++parser_.depth_ > kMaxPredicateDepth) {
        fail("expression nests too deeply (more than " + std::to_string(kMaxPredicateDepth) +
                 " levels of '(' and 'not')",
             at);
      }
    }
    ~DepthGuard() { --parser_.depth_; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;

   private:
    Parser& parser_;
  };

  std::vector<Token> tokens_;
  std::size_t index_ = 0;
  int depth_ = 0;
};

}  // namespace

Predicate parse_predicate(std::string_view text) {
  return Parser(tokenize_predicate(text)).parse();
}

}  // namespace reos::pipeline
