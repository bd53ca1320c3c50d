#include "property_search/page_cursor.hpp"

#include <openssl/evp.h>

#include <nlohmann/json.hpp>

namespace reos::property_search {
namespace {

// Cursors stay well below URL length limits; anything longer was not made here.
constexpr std::size_t kMaxCursorChars = 2048;

std::string base64url_encode(const std::string& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return out;
}

std::optional<std::string> base64url_decode(std::string text) {
  for (char& c : text) {
    if (c == '-') {
      c = '+';
    } else if (c == '_') {
      c = '/';
    } else if (c == '+' || c == '/' || c == '=') {
      return std::nullopt;  // only the URL-safe alphabet, unpadded, is ours
    }
  }
  if (text.size() % 4 == 1) return std::nullopt;
  const std::size_t padding = (4 - text.size() % 4) % 4;
  text.append(padding, '=');
  std::string out(3 * text.size() / 4 + 1, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  out.resize(static_cast<std::size_t>(n) - padding);  // EVP_DecodeBlock counts the pad bytes
  return out;
}

}  // namespace

std::string encode_cursor(const CursorParts& parts) {
  nlohmann::json array = nlohmann::json::array();
  for (const std::optional<std::string>& part : parts) {
    array.push_back(part ? nlohmann::json(*part) : nlohmann::json(nullptr));
  }
  return base64url_encode(array.dump());
}

std::optional<CursorParts> decode_cursor(const std::string& text) {
  if (text.empty() || text.size() > kMaxCursorChars) return std::nullopt;
  const std::optional<std::string> bytes = base64url_decode(text);
  if (!bytes) return std::nullopt;
  const nlohmann::json array = nlohmann::json::parse(*bytes, nullptr, false);
  if (!array.is_array() || array.empty()) return std::nullopt;
  CursorParts parts;
  for (const nlohmann::json& part : array) {
    if (part.is_null()) {
      parts.emplace_back(std::nullopt);
    } else if (part.is_string()) {
      parts.emplace_back(part.get<std::string>());
    } else {
      return std::nullopt;
    }
  }
  return parts;
}

}  // namespace reos::property_search
