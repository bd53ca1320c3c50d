#include "admin_api/admin_auth.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <stdexcept>
#include <string_view>

#include "http/problem_json.hpp"
#include "log/logger.hpp"

namespace reos::admin_api {
namespace {

constexpr const char* kChallenge = "Bearer realm=\"reos-admin\"";

std::array<unsigned char, 32> sha256(std::string_view text) {
  std::array<unsigned char, 32> out{};
  unsigned int size = 0;
  if (EVP_Digest(text.data(), text.size(), out.data(), &size, EVP_sha256(), nullptr) != 1 ||
      size != out.size()) {
    throw std::runtime_error("admin API: SHA-256 failed");
  }
  return out;
}

bool is_space(char c) {
  return c == ' ' || c == '\t';
}

// The credentials of `Authorization: Bearer <token>` (scheme case-insensitive, RFC 7235), or
// nullopt when the header is absent, of another scheme, or has no token.
std::optional<std::string_view> bearer_token(std::string_view header) {
  while (!header.empty() && is_space(header.front())) header.remove_prefix(1);
  while (!header.empty() && is_space(header.back())) header.remove_suffix(1);
  constexpr std::string_view kScheme = "bearer";
  if (header.size() <= kScheme.size() || !is_space(header[kScheme.size()])) return std::nullopt;
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    const char c = header[i];
    if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) != kScheme[i]) {
      return std::nullopt;
    }
  }
  header.remove_prefix(kScheme.size());
  while (!header.empty() && is_space(header.front())) header.remove_prefix(1);
  if (header.empty()) return std::nullopt;
  return header;
}

http::Response unauthorized(const http::Request& request, std::string detail,
                            const char* challenge) {
  http::Response r = http::problem(401, "Unauthorized", std::move(detail), request.path);
  r.headers.emplace_back("WWW-Authenticate", challenge);
  return r;
}

}  // namespace

AdminAuth::AdminAuth(const std::string& token) : enabled_(!token.empty()) {
  if (enabled_) digest_ = sha256(token);
}

std::optional<http::Response> AdminAuth::check(const http::Request& request) const {
  if (!enabled_) {
    log::warn("admin API request refused", {{"reason", "disabled"}, {"path", request.path}});
    return unauthorized(request, "admin API disabled: set admin.token in hub.yaml", kChallenge);
  }
  const auto header = request.headers.find("authorization");
  const std::optional<std::string_view> presented =
      header == request.headers.end() ? std::nullopt : bearer_token(header->second);
  if (!presented) {
    log::warn("admin API request refused",
              {{"reason", "missing bearer token"}, {"path", request.path}});
    return unauthorized(request, "missing bearer token: send Authorization: Bearer <admin token>",
                        kChallenge);
  }
  const std::array<unsigned char, 32> digest = sha256(*presented);
  if (CRYPTO_memcmp(digest.data(), digest_.data(), digest.size()) != 0) {
    log::warn("admin API request refused", {{"reason", "invalid token"}, {"path", request.path}});
    return unauthorized(request, "invalid admin token",
                        "Bearer realm=\"reos-admin\", error=\"invalid_token\"");
  }
  return std::nullopt;
}

}  // namespace reos::admin_api
