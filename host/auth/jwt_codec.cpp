#include "auth/jwt_codec.hpp"

#include <jwt.h>

#include <array>
#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace reos::auth {
namespace {

using nlohmann::json;

constexpr std::size_t kMinSecretBytes = 32;
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

struct JwtFree {
  void operator()(jwt_t* j) const { jwt_free(j); }
};
using JwtPtr = std::unique_ptr<jwt_t, JwtFree>;
struct StrFree {
  void operator()(char* s) const { free(s); }  // NOLINT: libjwt allocates with malloc
};

std::optional<json> parse_object(const std::string& text) {
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return std::nullopt;
  return doc;
}

// A NumericDate claim (RFC 7519 §2): seconds since the epoch, possibly fractional.
std::optional<double> numeric_claim(const json& claims, const char* name) {
  auto it = claims.find(name);
  if (it == claims.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

}  // namespace

const char* to_string(JwtError e) {
  switch (e) {
    case JwtError::malformed:
      return "malformed";
    case JwtError::bad_algorithm:
      return "bad_algorithm";
    case JwtError::unknown_key:
      return "unknown_key";
    case JwtError::bad_signature:
      return "bad_signature";
    case JwtError::expired:
      return "expired";
    case JwtError::not_yet_valid:
      return "not_yet_valid";
    case JwtError::issued_in_future:
      return "issued_in_future";
    case JwtError::missing_claim:
      return "missing_claim";
  }
  return "malformed";
}

std::string base64url_encode(const std::string& bytes) {
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (i + 1 == bytes.size()) {
    const unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
  } else if (i + 2 == bytes.size()) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
  }
  return out;
}

std::optional<std::string> base64url_decode(const std::string& text) {
  std::array<int, 256> value{};
  value.fill(-1);
  for (int i = 0; i < 64; ++i) value[static_cast<unsigned char>(kAlphabet[i])] = i;
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  unsigned acc = 0;
  int bits = 0;
  for (const char c : text) {
    const int v = value[static_cast<unsigned char>(c)];
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  // Unused trailing bits must be zero, otherwise several texts would decode to one value.
  if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

JwtCodec::JwtCodec(std::vector<JwtKey> keys, std::chrono::seconds leeway, Clock clock,
                   bool allow_short_keys)
    : keys_(std::move(keys)), leeway_(leeway), clock_(std::move(clock)) {
  if (keys_.empty()) throw std::invalid_argument("jwt: no signing key");
  for (const JwtKey& k : keys_) {
    if (!allow_short_keys && k.secret.size() < kMinSecretBytes) {
      throw std::invalid_argument("jwt: key '" + k.kid + "' is shorter than 32 bytes");
    }
  }
  if (!clock_) clock_ = [] { return std::chrono::system_clock::now(); };
}

std::chrono::system_clock::time_point JwtCodec::now() const {
  return clock_();
}

std::string JwtCodec::sign(const std::string& claims_json) const {
  const JwtKey& key = keys_.front();
  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0) throw std::runtime_error("jwt: out of memory");
  JwtPtr token(raw);
  if (jwt_add_grants_json(token.get(), claims_json.c_str()) != 0 ||
      jwt_add_header(token.get(), "kid", key.kid.c_str()) != 0 ||
      jwt_set_alg(token.get(), JWT_ALG_HS256,
                  reinterpret_cast<const unsigned char*>(key.secret.data()),
                  static_cast<int>(key.secret.size())) != 0) {
    throw std::runtime_error("jwt: cannot build token");
  }
  std::unique_ptr<char, StrFree> encoded(jwt_encode_str(token.get()));
  if (!encoded) throw std::runtime_error("jwt: cannot sign token");
  return encoded.get();
}

JwtResult JwtCodec::verify(const std::string& token,
                           const std::vector<std::string>& required) const {
  JwtResult result;
  const std::size_t dot1 = token.find('.');
  const std::size_t dot2 = dot1 == std::string::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string::npos || token.find('.', dot2 + 1) != std::string::npos) {
    result.error = JwtError::malformed;
    return result;
  }
  const auto header_text = base64url_decode(token.substr(0, dot1));
  const auto payload_text = base64url_decode(token.substr(dot1 + 1, dot2 - dot1 - 1));
  const auto signature = base64url_decode(token.substr(dot2 + 1));
  const auto header = header_text ? parse_object(*header_text) : std::nullopt;
  const auto claims = payload_text ? parse_object(*payload_text) : std::nullopt;
  if (!header || !claims) {
    result.error = JwtError::malformed;
    return result;
  }
  // The algorithm is ours to choose, never the token's (RFC 8725 §3.1).
  const auto alg = header->find("alg");
  if (alg == header->end() || !alg->is_string() || alg->get<std::string>() != "HS256") {
    result.error = JwtError::bad_algorithm;
    return result;
  }
  if (!signature || signature->size() != 32) {
    result.error = JwtError::bad_signature;
    return result;
  }
  std::vector<const JwtKey*> candidates;
  if (auto kid = header->find("kid"); kid != header->end()) {
    if (!kid->is_string()) {
      result.error = JwtError::malformed;
      return result;
    }
    result.kid = kid->get<std::string>();
    for (const JwtKey& k : keys_) {
      if (k.kid == result.kid) candidates.push_back(&k);
    }
    if (candidates.empty()) {
      result.error = JwtError::unknown_key;
      return result;
    }
  } else {
    for (const JwtKey& k : keys_) candidates.push_back(&k);
  }
  bool verified = false;
  for (const JwtKey* k : candidates) {
    jwt_t* raw = nullptr;
    const int rc =
        jwt_decode(&raw, token.c_str(), reinterpret_cast<const unsigned char*>(k->secret.data()),
                   static_cast<int>(k->secret.size()));
    JwtPtr decoded(raw);
    if (rc == 0 && decoded && jwt_get_alg(decoded.get()) == JWT_ALG_HS256) {
      verified = true;
      break;
    }
  }
  if (!verified) {
    result.error = JwtError::bad_signature;
    return result;
  }
  const double now = std::chrono::duration<double>(clock_().time_since_epoch()).count();
  const double leeway = static_cast<double>(leeway_.count());
  if (auto exp = numeric_claim(*claims, "exp"); exp && now > *exp + leeway) {
    result.error = JwtError::expired;
  } else if (auto nbf = numeric_claim(*claims, "nbf"); nbf && now + leeway < *nbf) {
    result.error = JwtError::not_yet_valid;
  } else if (auto iat = numeric_claim(*claims, "iat"); iat && now + leeway < *iat) {
    result.error = JwtError::issued_in_future;
  } else {
    for (const std::string& name : required) {
      if (!claims->contains(name)) {
        result.error = JwtError::missing_claim;
        return result;
      }
    }
    result.claims_json = *payload_text;
  }
  return result;
}

}  // namespace reos::auth
