// rets_session.hpp — the cookies a RETS server sets at Login (RETS-Session-ID, JSESSIONID,
// …), sent back on every later request. Attributes (Path, Expires, …) are not interpreted:
// a connector talks to one server.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace rets {

class CookieJar {
 public:
  /// Takes one Set-Cookie header value ("name=value; Path=/; HttpOnly"). An empty value or
  /// Max-Age=0 removes the cookie.
  void set_cookie(std::string_view header);
  /// The Cookie header value ("a=1; b=2"), "" when empty.
  std::string header() const;
  /// A cookie's value, "" when absent.
  std::string get(const std::string& name) const;
  void clear() { cookies_.clear(); }
  bool empty() const { return cookies_.empty(); }

 private:
  std::map<std::string, std::string> cookies_;
};

}  // namespace rets
