#include "blobs/sigv4_signer.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <stdexcept>

namespace reos::blobs {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Header values are trimmed and inner runs of spaces collapsed to one (SigV4 "Trimall").
std::string trim_all(std::string_view v) {
  std::string out;
  bool space = false;
  for (char c : v) {
    if (c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

bool has_header(const SigV4Request& r, std::string_view lowercase_name) {
  return std::any_of(r.headers.begin(), r.headers.end(),
                     [&](const auto& h) { return lower(h.first) == lowercase_name; });
}

}  // namespace

std::string SigV4Scope::credential_scope() const {
  return date() + "/" + region + "/" + service + "/aws4_request";
}

std::string to_hex(std::string_view bytes) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

std::string sha256_hex(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("sha256 failed");
  return to_hex(std::string_view(reinterpret_cast<const char*>(md), len));
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
            reinterpret_cast<const unsigned char*>(data.data()), data.size(), md, &len))
    throw std::runtime_error("hmac-sha256 failed");
  return std::string(reinterpret_cast<const char*>(md), len);
}

std::string uri_encode(std::string_view s, bool keep_slash) {
  static const char digits[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' ||
        (keep_slash && c == '/')) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += digits[c >> 4];
      out += digits[c & 15];
    }
  }
  return out;
}

std::string amz_date(std::chrono::system_clock::time_point t) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

std::string canonical_request(const SigV4Request& request, std::string* signed_headers) {
  std::vector<std::pair<std::string, std::string>> query;
  for (const auto& [name, value] : request.query)
    query.emplace_back(uri_encode(name, false), uri_encode(value, false));
  std::sort(query.begin(), query.end());
  std::string query_text;
  for (const auto& [name, value] : query) {
    if (!query_text.empty()) query_text += '&';
    query_text += name + "=" + value;
  }

  // Same-named headers are joined with ',' in the order sent; names are sorted.
  std::vector<std::pair<std::string, std::string>> headers;
  for (const auto& [name, value] : request.headers) {
    const std::string key = lower(name);
    auto it =
        std::find_if(headers.begin(), headers.end(), [&](const auto& h) { return h.first == key; });
    if (it == headers.end())
      headers.emplace_back(key, trim_all(value));
    else
      it->second += "," + trim_all(value);
  }
  std::stable_sort(headers.begin(), headers.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string header_text, names;
  for (const auto& [name, value] : headers) {
    header_text += name + ":" + value + "\n";
    if (!names.empty()) names += ';';
    names += name;
  }
  if (signed_headers) *signed_headers = names;
  return request.method + "\n" + request.canonical_uri + "\n" + query_text + "\n" + header_text +
         "\n" + names + "\n" + request.payload_sha256;
}

std::string string_to_sign(const SigV4Scope& scope, std::string_view canonical) {
  return "AWS4-HMAC-SHA256\n" + scope.amz_date + "\n" + scope.credential_scope() + "\n" +
         sha256_hex(canonical);
}

std::string signature(std::string_view secret_access_key, const SigV4Scope& scope,
                      std::string_view to_sign) {
  const std::string k_date = hmac_sha256("AWS4" + std::string(secret_access_key), scope.date());
  const std::string k_region = hmac_sha256(k_date, scope.region);
  const std::string k_service = hmac_sha256(k_region, scope.service);
  const std::string k_signing = hmac_sha256(k_service, "aws4_request");
  return to_hex(hmac_sha256(k_signing, to_sign));
}

std::string sign_headers(SigV4Request& request, const SigV4Credentials& credentials,
                         const SigV4Scope& scope, bool content_sha256_header) {
  request.headers.emplace_back("X-Amz-Date", scope.amz_date);
  if (!credentials.session_token.empty() && !has_header(request, "x-amz-security-token"))
    request.headers.emplace_back("X-Amz-Security-Token", credentials.session_token);
  if (content_sha256_header && !has_header(request, "x-amz-content-sha256"))
    request.headers.emplace_back("x-amz-content-sha256", request.payload_sha256);
  std::string names;
  const std::string canonical = canonical_request(request, &names);
  const std::string sig =
      signature(credentials.secret_access_key, scope, string_to_sign(scope, canonical));
  std::string authorization = "AWS4-HMAC-SHA256 Credential=" + credentials.access_key_id + "/" +
                              scope.credential_scope() + ", SignedHeaders=" + names +
                              ", Signature=" + sig;
  request.headers.emplace_back("Authorization", authorization);
  return authorization;
}

std::string presign_query(SigV4Request& request, const SigV4Credentials& credentials,
                          const SigV4Scope& scope, int expires_s) {
  std::string names;
  canonical_request(request, &names);  // only for the signed header names
  request.query.emplace_back("X-Amz-Algorithm", "AWS4-HMAC-SHA256");
  request.query.emplace_back("X-Amz-Credential",
                             credentials.access_key_id + "/" + scope.credential_scope());
  request.query.emplace_back("X-Amz-Date", scope.amz_date);
  request.query.emplace_back("X-Amz-Expires", std::to_string(expires_s));
  if (!credentials.session_token.empty())
    request.query.emplace_back("X-Amz-Security-Token", credentials.session_token);
  request.query.emplace_back("X-Amz-SignedHeaders", names);
  const std::string sig = signature(credentials.secret_access_key, scope,
                                    string_to_sign(scope, canonical_request(request)));
  request.query.emplace_back("X-Amz-Signature", sig);
  return sig;
}

}  // namespace reos::blobs
