// HTTP Digest/Basic and RETS-UA-Authorization (see the header).
#include "rets_digest_auth.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstdio>
#include <map>
#include <stdexcept>

#include "rets_text.hpp"

namespace rets {

namespace {

std::string hex(const unsigned char* data, std::size_t n) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(kHex[data[i] >> 4]);
    out.push_back(kHex[data[i] & 15]);
  }
  return out;
}

// auth-param list: name=token or name="quoted, \"string\"", separated by commas.
std::map<std::string, std::string> parse_params(std::string_view s) {
  std::map<std::string, std::string> out;
  std::size_t i = 0;
  auto skip = [&] {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == ',')) ++i;
  };
  while (true) {
    skip();
    if (i >= s.size()) break;
    const std::size_t name_start = i;
    while (i < s.size() && s[i] != '=' && s[i] != ',' && s[i] != ' ') ++i;
    std::string name = lower(s.substr(name_start, i - name_start));
    while (i < s.size() && s[i] == ' ') ++i;
    if (i >= s.size() || s[i] != '=') continue;
    ++i;
    while (i < s.size() && s[i] == ' ') ++i;
    std::string value;
    if (i < s.size() && s[i] == '"') {
      ++i;
      while (i < s.size() && s[i] != '"') {
        if (s[i] == '\\' && i + 1 < s.size()) ++i;
        value.push_back(s[i++]);
      }
      ++i;
    } else {
      while (i < s.size() && s[i] != ',') value.push_back(s[i++]);
      while (!value.empty() && value.back() == ' ') value.pop_back();
    }
    out[name] = value;
  }
  return out;
}

}  // namespace

std::string md5_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &len, EVP_md5(), nullptr) != 1)
    throw std::runtime_error("MD5 is not available in this OpenSSL");
  return hex(digest, len);
}

std::optional<DigestChallenge> parse_digest_challenge(std::string_view header) {
  while (!header.empty() && header.front() == ' ') header.remove_prefix(1);
  if (header.size() < 7 || lower(header.substr(0, 6)) != "digest" || header[6] != ' ')
    return std::nullopt;
  auto params = parse_params(header.substr(7));
  DigestChallenge c;
  c.realm = params["realm"];
  c.nonce = params["nonce"];
  c.opaque = params["opaque"];
  if (!params["algorithm"].empty()) c.algorithm = params["algorithm"];
  c.stale = lower(params["stale"]) == "true";
  const std::string qop = lower(params["qop"]);
  std::size_t start = 0;
  while (start <= qop.size()) {
    std::size_t end = qop.find(',', start);
    if (end == std::string::npos) end = qop.size();
    std::string token = qop.substr(start, end - start);
    while (!token.empty() && token.front() == ' ') token.erase(0, 1);
    while (!token.empty() && token.back() == ' ') token.pop_back();
    if (token == "auth") c.qop_auth = true;
    start = end + 1;
  }
  if (c.nonce.empty()) return std::nullopt;
  return c;
}

std::string digest_response(const DigestChallenge& c, std::string_view user,
                            std::string_view password, std::string_view method,
                            std::string_view uri, std::uint32_t nc, std::string_view cnonce) {
  std::string ha1 = md5_hex(std::string(user) + ":" + c.realm + ":" + std::string(password));
  if (lower(c.algorithm) == "md5-sess")
    ha1 = md5_hex(ha1 + ":" + c.nonce + ":" + std::string(cnonce));
  const std::string ha2 = md5_hex(std::string(method) + ":" + std::string(uri));
  if (!c.qop_auth) return md5_hex(ha1 + ":" + c.nonce + ":" + ha2);
  char ncs[9];
  std::snprintf(ncs, sizeof ncs, "%08x", nc);
  return md5_hex(ha1 + ":" + c.nonce + ":" + ncs + ":" + std::string(cnonce) + ":auth:" + ha2);
}

std::string digest_authorization(const DigestChallenge& c, std::string_view user,
                                 std::string_view password, std::string_view method,
                                 std::string_view uri, std::uint32_t nc, std::string_view cnonce) {
  std::string h = "Digest username=\"" + std::string(user) + "\", realm=\"" + c.realm +
                  "\", nonce=\"" + c.nonce + "\", uri=\"" + std::string(uri) + "\", response=\"" +
                  digest_response(c, user, password, method, uri, nc, cnonce) + "\"";
  if (c.algorithm != "MD5") h += ", algorithm=" + c.algorithm;
  if (!c.opaque.empty()) h += ", opaque=\"" + c.opaque + "\"";
  if (c.qop_auth) {
    char ncs[9];
    std::snprintf(ncs, sizeof ncs, "%08x", nc);
    h += ", qop=auth, nc=" + std::string(ncs) + ", cnonce=\"" + std::string(cnonce) + "\"";
  }
  return h;
}

std::string basic_authorization(std::string_view user, std::string_view password) {
  const std::string plain = std::string(user) + ":" + std::string(password);
  std::string out(4 * ((plain.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(plain.data()),
                                static_cast<int>(plain.size()));
  out.resize(static_cast<std::size_t>(n));
  return "Basic " + out;
}

std::string ua_authorization(std::string_view user_agent, std::string_view ua_password,
                             std::string_view request_id, std::string_view session_id,
                             std::string_view rets_version) {
  const std::string a1 = md5_hex(std::string(user_agent) + ":" + std::string(ua_password));
  return "Digest " + md5_hex(a1 + ":" + std::string(request_id) + ":" + std::string(session_id) +
                             ":" + std::string(rets_version));
}

std::string make_cnonce() {
  unsigned char bytes[8];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("RAND_bytes failed");
  return hex(bytes, sizeof bytes);
}

}  // namespace rets
