// Session cookies (see the header).
#include "rets_session.hpp"

#include "rets_text.hpp"

namespace rets {

namespace {
bool iequals_prefix(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}
}  // namespace

void CookieJar::set_cookie(std::string_view header) {
  const std::size_t semi = header.find(';');
  const std::string_view pair = header.substr(0, semi);
  const std::size_t eq = pair.find('=');
  if (eq == std::string_view::npos) return;
  const std::string name(trim(pair.substr(0, eq)));
  std::string_view value = trim(pair.substr(eq + 1));
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
    value = value.substr(1, value.size() - 2);
  if (name.empty()) return;
  bool expired = value.empty();
  std::string_view rest = semi == std::string_view::npos ? "" : header.substr(semi + 1);
  while (!rest.empty()) {
    const std::size_t next = rest.find(';');
    const std::string_view attr = trim(rest.substr(0, next));
    if (iequals_prefix(attr, "max-age=") && trim(attr.substr(8)) == "0") expired = true;
    rest = next == std::string_view::npos ? "" : rest.substr(next + 1);
  }
  if (expired)
    cookies_.erase(name);
  else
    cookies_[name] = std::string(value);
}

std::string CookieJar::header() const {
  std::string out;
  for (const auto& [name, value] : cookies_) {
    if (!out.empty()) out += "; ";
    out += name + "=" + value;
  }
  return out;
}

std::string CookieJar::get(const std::string& name) const {
  const auto it = cookies_.find(name);
  return it == cookies_.end() ? std::string() : it->second;
}

}  // namespace rets
