// Login reply capabilities and URL helpers (see the header).
#include "rets_login.hpp"

#include "rets_text.hpp"

namespace rets {

namespace {

std::size_t authority_end(std::string_view url) {
  const std::size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string_view::npos;
  const std::size_t end = url.find_first_of("/?#", scheme + 3);
  return end == std::string_view::npos ? url.size() : end;
}

}  // namespace

std::map<std::string, std::string> parse_capabilities(std::string_view text) {
  std::map<std::string, std::string> out;
  while (!text.empty()) {
    std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    const std::size_t eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string_view key = trim(line.substr(0, eq));
    if (key.empty()) continue;
    out[std::string(key)] = std::string(trim(line.substr(eq + 1)));
  }
  return out;
}

std::string resolve_url(std::string_view base, std::string_view ref) {
  if (ref.rfind("http://", 0) == 0 || ref.rfind("https://", 0) == 0) return std::string(ref);
  const std::size_t auth_end = authority_end(base);
  if (auth_end == std::string_view::npos) return std::string(ref);
  if (!ref.empty() && ref.front() == '/')
    return std::string(base.substr(0, auth_end)) + std::string(ref);
  std::string_view path = base.substr(0, base.find_first_of("?#", auth_end));
  const std::size_t slash = path.rfind('/');
  if (slash == std::string_view::npos || slash < auth_end)
    return std::string(base.substr(0, auth_end)) + "/" + std::string(ref);
  return std::string(path.substr(0, slash + 1)) + std::string(ref);
}

std::string request_uri(std::string_view url) {
  const std::size_t auth_end = authority_end(url);
  if (auth_end == std::string_view::npos || auth_end == url.size()) return "/";
  std::string out(url.substr(auth_end));
  const std::size_t hash = out.find('#');
  if (hash != std::string::npos) out.resize(hash);
  if (out.empty() || out.front() == '?') out.insert(0, "/");
  return out;
}

std::string url_encode(std::string_view value) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

Capabilities capabilities_from_login(std::string_view response_text, std::string_view login_url) {
  Capabilities c;
  c.all = parse_capabilities(response_text);
  auto get = [&](const char* name) {
    const auto it = c.all.find(name);
    return it == c.all.end() || it->second.empty() ? std::string()
                                                   : resolve_url(login_url, it->second);
  };
  c.search = get("Search");
  c.get_metadata = get("GetMetadata");
  c.get_object = get("GetObject");
  c.logout = get("Logout");
  return c;
}

}  // namespace rets
