#include "http/router.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

namespace reos::http {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  if (path.empty() || path.front() != '/') return out;
  path.remove_prefix(1);
  if (path.empty()) return out;  // "/" has no segments
  for (;;) {
    auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

bool is_token_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_identifier(std::string_view s) {
  if (s.empty() || (s[0] >= '0' && s[0] <= '9')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  });
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int hi = hex_value(s[i + 1]);
      int lo = hex_value(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

void Router::add(std::string method, std::string pattern, Handler handler) {
  if (method.empty() || !std::all_of(method.begin(), method.end(), is_token_char))
    throw std::invalid_argument("router: invalid HTTP method '" + method + "'");
  if (pattern.empty() || pattern.front() != '/')
    throw std::invalid_argument("router: pattern must start with '/': '" + pattern + "'");
  if (!handler) throw std::invalid_argument("router: empty handler for " + method + " " + pattern);

  Route route{method, pattern, {}, std::move(handler)};
  std::set<std::string> names;
  for (auto seg : split_path(pattern)) {
    if (!seg.empty() && seg.front() == '{') {
      if (seg.back() != '}' || !is_identifier(seg.substr(1, seg.size() - 2)))
        throw std::invalid_argument("router: bad placeholder '" + std::string(seg) + "' in '" +
                                    pattern + "'");
      std::string name(seg.substr(1, seg.size() - 2));
      if (!names.insert(name).second)
        throw std::invalid_argument("router: placeholder '" + name + "' repeats in '" + pattern +
                                    "'");
      route.segments.push_back({true, std::move(name)});
    } else {
      if (seg.find_first_of("{}") != std::string_view::npos)
        throw std::invalid_argument("router: a placeholder must be a whole segment in '" + pattern +
                                    "'");
      route.segments.push_back({false, percent_decode(seg)});
    }
  }
  for (const auto& r : routes_) {
    if (r.method == route.method && r.pattern == route.pattern)
      throw std::invalid_argument("router: duplicate route " + method + " " + pattern);
  }
  routes_.push_back(std::move(route));
}

RouteMatch Router::match(std::string_view method, std::string_view path) const {
  std::vector<std::string> segments;
  for (auto raw : split_path(path)) segments.push_back(percent_decode(raw));

  auto matches = [&](const Route& r) {
    if (r.segments.size() != segments.size()) return false;
    for (std::size_t i = 0; i < segments.size(); ++i) {
      const auto& seg = r.segments[i];
      if (seg.is_param ? segments[i].empty() : seg.text != segments[i]) return false;
    }
    return true;
  };
  // Literal-before-placeholder at the first difference: compare the is_param flags
  // lexicographically (false < true).
  auto more_specific = [](const Route& a, const Route& b) {
    for (std::size_t i = 0; i < a.segments.size(); ++i) {
      if (a.segments[i].is_param != b.segments[i].is_param) return !a.segments[i].is_param;
    }
    return false;
  };

  std::set<std::string> allowed;
  auto best_for = [&](std::string_view wanted) {
    const Route* best = nullptr;
    for (const auto& r : routes_) {
      if (r.method != wanted || !matches(r)) continue;
      if (!best || more_specific(r, *best)) best = &r;
    }
    return best;
  };
  const Route* best = best_for(method);
  // HEAD falls back to GET unless a HEAD route was registered explicitly.
  if (!best && method == "HEAD") best = best_for("GET");
  if (!best) {
    for (const auto& r : routes_) {
      if (!matches(r)) continue;
      allowed.insert(r.method);
      if (r.method == "GET") allowed.insert("HEAD");
    }
  }

  RouteMatch m;
  if (best) {
    m.outcome = RouteMatch::Outcome::found;
    m.handler = &best->handler;
    m.pattern = best->pattern;
    for (std::size_t i = 0; i < segments.size(); ++i) {
      if (best->segments[i].is_param) m.params[best->segments[i].text] = segments[i];
    }
  } else if (!allowed.empty()) {
    m.outcome = RouteMatch::Outcome::method_not_allowed;
    m.allowed_methods.assign(allowed.begin(), allowed.end());
  }
  return m;
}

std::vector<std::pair<std::string, std::string>> Router::routes() const {
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(routes_.size());
  for (const auto& r : routes_) out.emplace_back(r.method, r.pattern);
  return out;
}

}  // namespace reos::http
