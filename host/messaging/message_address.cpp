#include "messaging/message_address.hpp"

#include <algorithm>
#include <cctype>

namespace reos::messaging {
namespace {

std::string trimmed(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

std::string normalize_email(const std::string& address) {
  std::string out = trimmed(address);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const auto at = out.find('@');
  if (at == std::string::npos || at == 0 || at + 1 >= out.size() ||
      out.find('@', at + 1) != std::string::npos || out.size() > 320) {
    return "";
  }
  for (const unsigned char c : out) {
    if (std::isspace(c) || std::iscntrl(c) || c == '<' || c == '>' || c == ',') return "";
  }
  return out;
}

std::string normalize_phone(const std::string& address) {
  const std::string in = trimmed(address);
  if (in.empty() || in[0] != '+') return "";
  std::string out = "+";
  for (std::size_t i = 1; i < in.size(); ++i) {
    const unsigned char c = in[i];
    if (std::isdigit(c)) {
      out += static_cast<char>(c);
    } else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') {
      return "";
    }
  }
  const std::size_t digits = out.size() - 1;
  if (digits < 8 || digits > 15 || out[1] == '0') return "";
  return out;
}

}  // namespace

std::string normalize_address(const std::string& channel, const std::string& address) {
  if (channel == "email") return normalize_email(address);
  if (channel == "sms") return normalize_phone(address);
  return "";
}

}  // namespace reos::messaging
