// The test server's $filter (see the header): a recursive-descent parser and an evaluator.
#include "odata_filter.hpp"

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <vector>

namespace reos::test {

struct ODataFilter::Node {
  enum class Kind { any, or_, and_, not_, compare } kind = Kind::any;
  std::shared_ptr<const Node> left, right;
  std::string field, op;
  nlohmann::json literal;                ///< string, number, bool or null
  std::optional<reso::Instant> instant;  ///< the literal was a DateTimeOffset / Date
};

namespace {

using Node = ODataFilter::Node;
using NodePtr = std::shared_ptr<const Node>;

class Parser {
 public:
  explicit Parser(const std::string& text) : s_(text) {}

  NodePtr parse() {
    NodePtr n = or_expr();
    ws();
    if (i_ < s_.size()) fail("unexpected '" + s_.substr(i_, 20) + "'");
    return n;
  }

 private:
  [[noreturn]] void fail(const std::string& why) const {
    throw FilterError("The query specified in the URI is not valid: $filter at position " +
                      std::to_string(i_) + ": " + why);
  }
  void ws() {
    while (i_ < s_.size() && s_[i_] == ' ') ++i_;
  }
  bool word(const char* w) {
    ws();
    const std::string k(w);
    if (s_.compare(i_, k.size(), k) != 0) return false;
    const std::size_t after = i_ + k.size();
    if (after < s_.size() &&
        (std::isalnum(static_cast<unsigned char>(s_[after])) || s_[after] == '_'))
      return false;
    i_ = after;
    return true;
  }
  NodePtr binary(Node::Kind kind, NodePtr l, NodePtr r) {
    auto n = std::make_shared<Node>();
    n->kind = kind;
    n->left = std::move(l);
    n->right = std::move(r);
    return n;
  }
  NodePtr or_expr() {
    NodePtr n = and_expr();
    while (word("or")) n = binary(Node::Kind::or_, n, and_expr());
    return n;
  }
  NodePtr and_expr() {
    NodePtr n = unary();
    while (word("and")) n = binary(Node::Kind::and_, n, unary());
    return n;
  }
  NodePtr unary() {
    if (word("not")) return binary(Node::Kind::not_, unary(), nullptr);
    ws();
    if (i_ < s_.size() && s_[i_] == '(') {
      ++i_;
      NodePtr n = or_expr();
      ws();
      if (i_ >= s_.size() || s_[i_] != ')') fail("expected ')'");
      ++i_;
      return n;
    }
    return comparison();
  }
  NodePtr comparison() {
    ws();
    const std::size_t start = i_;
    while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_'))
      ++i_;
    if (i_ == start) fail("expected a property name");
    auto n = std::make_shared<Node>();
    n->kind = Node::Kind::compare;
    n->field = s_.substr(start, i_ - start);
    for (const char* op : {"eq", "ne", "gt", "ge", "lt", "le"})
      if (n->op.empty() && word(op)) n->op = op;
    if (n->op.empty()) fail("expected eq, ne, gt, ge, lt or le after " + n->field);
    literal(*n);
    return n;
  }
  void literal(Node& n) {
    ws();
    if (i_ < s_.size() && s_[i_] == '\'') {
      std::string v;
      for (++i_;; ++i_) {
        if (i_ >= s_.size()) fail("unterminated string literal");
        if (s_[i_] == '\'') {
          if (i_ + 1 < s_.size() && s_[i_ + 1] == '\'') {
            v += '\'';
            ++i_;
            continue;
          }
          ++i_;
          break;
        }
        v += s_[i_];
      }
      n.literal = v;
      return;
    }
    if (word("null")) return void(n.literal = nullptr);
    if (word("true")) return void(n.literal = true);
    if (word("false")) return void(n.literal = false);
    const std::size_t start = i_;
    while (i_ < s_.size() && s_[i_] != ' ' && s_[i_] != ')') ++i_;
    const std::string token = s_.substr(start, i_ - start);
    if (token.empty()) fail("expected a literal");
    if (const auto at = reso::parse_instant(token)) {
      n.instant = at;
      n.literal = token;
      return;
    }
    char* end = nullptr;
    const double d = std::strtod(token.c_str(), &end);
    if (end == nullptr || *end != '\0') fail("'" + token + "' is not a literal");
    n.literal = d;
  }

  const std::string& s_;
  std::size_t i_ = 0;
};

template <class T>
bool compare(const std::string& op, const T& a, const T& b) {
  if (op == "eq") return a == b;
  if (op == "ne") return !(a == b);
  if (op == "gt") return b < a;
  if (op == "ge") return !(a < b);
  if (op == "lt") return a < b;
  return !(b < a);  // le
}

bool evaluate(const Node& n, const ODataFilter::FieldFn& field) {
  switch (n.kind) {
    case Node::Kind::any:
      return true;
    case Node::Kind::or_:
      return evaluate(*n.left, field) || evaluate(*n.right, field);
    case Node::Kind::and_:
      return evaluate(*n.left, field) && evaluate(*n.right, field);
    case Node::Kind::not_:
      return !evaluate(*n.left, field);
    case Node::Kind::compare:
      break;
  }
  const nlohmann::json& v = field(n.field);
  if (n.literal.is_null() || v.is_null())
    return n.op == "eq" ? v.is_null() && n.literal.is_null()
                        : n.op == "ne" && v.is_null() != n.literal.is_null();
  if (n.instant) {
    if (!v.is_string()) return false;
    const auto at = reso::parse_instant(v.get<std::string>());
    return at && compare(n.op, *at, *n.instant);
  }
  if (n.literal.is_string())
    return v.is_string() && compare(n.op, v.get<std::string>(), n.literal.get<std::string>());
  if (n.literal.is_number())
    return v.is_number() && compare(n.op, v.get<double>(), n.literal.get<double>());
  if (n.literal.is_boolean())
    return v.is_boolean() && compare(n.op, v.get<bool>(), n.literal.get<bool>());
  return false;
}

void collect(const Node& n, std::set<std::string>& out) {
  if (n.kind == Node::Kind::compare) out.insert(n.field);
  if (n.left) collect(*n.left, out);
  if (n.right) collect(*n.right, out);
}

std::optional<reso::Instant> bound(const Node& n, const std::string& field) {
  switch (n.kind) {
    case Node::Kind::compare:
      if (n.field == field && n.instant && (n.op == "gt" || n.op == "ge" || n.op == "eq"))
        return n.instant;
      return std::nullopt;
    case Node::Kind::or_: {
      const auto l = bound(*n.left, field), r = bound(*n.right, field);
      if (!l || !r) return std::nullopt;
      return *l < *r ? l : r;
    }
    case Node::Kind::and_: {
      const auto l = bound(*n.left, field), r = bound(*n.right, field);
      if (!l) return r;
      if (!r) return l;
      return *l < *r ? r : l;
    }
    default:
      return std::nullopt;
  }
}

}  // namespace

ODataFilter ODataFilter::parse(const std::string& text) {
  ODataFilter f;
  if (text.find_first_not_of(' ') == std::string::npos) {
    f.root_ = std::make_shared<Node>();
  } else {
    f.root_ = Parser(text).parse();
  }
  return f;
}

bool ODataFilter::matches(const FieldFn& field) const {
  return evaluate(*root_, field);
}

std::set<std::string> ODataFilter::fields() const {
  std::set<std::string> out;
  collect(*root_, out);
  return out;
}

std::optional<reso::Instant> ODataFilter::lower_bound(const std::string& field) const {
  return bound(*root_, field);
}

}  // namespace reos::test
