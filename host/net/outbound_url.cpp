#include "net/outbound_url.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <memory>

namespace reos::net {
namespace {

struct UrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
using UrlHandle = std::unique_ptr<CURLU, UrlDeleter>;

struct CurlFree {
  void operator()(char* p) const { curl_free(p); }
};
using CurlString = std::unique_ptr<char, CurlFree>;

/// Parses with a scheme required (no guessing "example.com" → http://example.com).
UrlHandle parse(std::string_view url, CURLUcode& rc) {
  UrlHandle handle(curl_url());
  if (!handle) {
    rc = CURLUE_OUT_OF_MEMORY;
    return nullptr;
  }
  const std::string text(url);
  rc = curl_url_set(handle.get(), CURLUPART_URL, text.c_str(), CURLU_NON_SUPPORT_SCHEME);
  if (rc != CURLUE_OK) return nullptr;
  return handle;
}

CurlString get_part(CURLU* u, CURLUPart part) {
  char* out = nullptr;
  if (curl_url_get(u, part, &out, 0) != CURLUE_OK) return nullptr;
  return CurlString(out);
}

}  // namespace

std::string check_outbound_url(std::string_view url) {
  if (url.empty()) return "empty URL";
  if (std::any_of(url.begin(), url.end(), [](unsigned char c) { return c <= 0x20 || c == 0x7f; }))
    return "malformed URL (contains whitespace or control characters)";
  CURLUcode rc = CURLUE_OK;
  auto handle = parse(url, rc);
  if (!handle) return std::string("malformed URL (") + curl_url_strerror(rc) + ")";
  auto scheme = get_part(handle.get(), CURLUPART_SCHEME);
  std::string s = scheme ? scheme.get() : "";
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  if (s != "http" && s != "https")
    return "unsupported scheme '" + s + "' (only http and https are allowed)";
  auto host = get_part(handle.get(), CURLUPART_HOST);
  if (!host || *host.get() == '\0') return "malformed URL (no host)";
  return "";
}

std::string redact_url(std::string_view url) {
  CURLUcode rc = CURLUE_OK;
  auto handle = parse(url, rc);
  if (!handle) return "<invalid url>";
  for (CURLUPart part :
       {CURLUPART_USER, CURLUPART_PASSWORD, CURLUPART_OPTIONS, CURLUPART_QUERY, CURLUPART_FRAGMENT})
    curl_url_set(handle.get(), part, nullptr, 0);
  auto out = get_part(handle.get(), CURLUPART_URL);
  return out ? std::string(out.get()) : "<invalid url>";
}

}  // namespace reos::net
