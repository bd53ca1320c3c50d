// x-www-form-urlencoded decoding and encoding.
#include "form_encoding.hpp"

namespace twilio {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out.push_back(' ');
    } else if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 &&
               hex_value(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);  // a malformed escape stays as it came
    }
  }
  return out;
}

std::string encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : s) {
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

}  // namespace

FormParams parse_form(std::string_view text) {
  FormParams out;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t amp = text.find('&', i);
    if (amp == std::string_view::npos) amp = text.size();
    const std::string_view pair = text.substr(i, amp - i);
    if (!pair.empty()) {
      const std::size_t eq = pair.find('=');
      if (eq == std::string_view::npos)
        out.emplace_back(decode(pair), "");
      else
        out.emplace_back(decode(pair.substr(0, eq)), decode(pair.substr(eq + 1)));
    }
    i = amp + 1;
  }
  return out;
}

std::string encode_form(const FormParams& params) {
  std::string out;
  for (const auto& [key, value] : params) {
    if (!out.empty()) out.push_back('&');
    out += encode(key) + "=" + encode(value);
  }
  return out;
}

std::string form_value(const FormParams& params, std::string_view key) {
  for (const auto& [k, v] : params)
    if (k == key) return v;
  return "";
}

std::string_view url_query(std::string_view url) {
  const std::size_t q = url.find('?');
  if (q == std::string_view::npos) return {};
  const std::size_t hash = url.find('#', q);
  return url.substr(q + 1, hash == std::string_view::npos ? std::string_view::npos : hash - q - 1);
}

}  // namespace twilio
