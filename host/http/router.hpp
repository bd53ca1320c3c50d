#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/http_types.hpp"

namespace reos::http {

/// Result of Router::match.
struct RouteMatch {
  enum class Outcome { found, not_found, method_not_allowed };
  Outcome outcome = Outcome::not_found;
  const Handler* handler = nullptr;           ///< set when found; owned by the router
  std::string pattern;                        ///< set when found
  std::map<std::string, std::string> params;  ///< set when found; percent-decoded
  std::vector<std::string> allowed_methods;   ///< set when method_not_allowed; sorted
};

/// Maps (method, path) to handlers. Patterns are '/'-separated segments, each either a
/// literal or a `{name}` placeholder matching exactly one non-empty segment. When several
/// patterns match, the most specific wins (at the first segment where they differ, a
/// literal beats a placeholder), so "/jobs/stats" can coexist with "/jobs/{id}".
/// Trailing slashes are significant. A GET route also answers HEAD (the server sends the
/// headers without the body), and 405 responses list HEAD alongside GET in `Allow`.
/// Not synchronized: register every route before a server starts using the router.
class Router {
 public:
  /// Throws std::invalid_argument for a malformed method or pattern, or a duplicate
  /// (method, pattern) pair.
  void add(std::string method, std::string pattern, Handler handler);

  /// `path` is the raw (still percent-encoded) request path without the query; segments
  /// are decoded before comparison.
  RouteMatch match(std::string_view method, std::string_view path) const;

  /// Every registered (method, pattern) pair, in registration order.
  std::vector<std::pair<std::string, std::string>> routes() const;

 private:
  struct Segment {
    bool is_param;
    std::string text;  ///< literal text, or the placeholder's name
  };
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<Segment> segments;
    Handler handler;
  };
  std::vector<Route> routes_;
};

/// Percent-decodes one path segment ("%2F" → "/"); '+' is kept literally. Malformed escapes
/// are kept as-is. Exposed for the server and tests.
std::string percent_decode(std::string_view s);

}  // namespace reos::http
