// The OAuth 2.0 client-credentials token (see the header).
#include "oauth2_token_cache.hpp"

#include "odata_query.hpp"
#include "reso_http.hpp"

namespace reso {

std::string base64(std::string_view in) {
  static const char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) |
                       (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (i < in.size()) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) v |= static_cast<unsigned char>(in[i + 1]) << 8;
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < in.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string TokenCache::authorization(reos::Call& call, Clock::time_point now) {
  if (settings_.auth == "none") return "";
  if (settings_.auth == "bearer") {
    if (token_.empty()) token_ = call.secret(settings_.access_token);
    return "Bearer " + token_;
  }
  if (token_.empty() || (refresh_at_ && now >= *refresh_at_)) fetch(call, now);
  return "Bearer " + token_;
}

void TokenCache::fetch(reos::Call& call, Clock::time_point now) {
  const std::string id = call.secret(settings_.client_id);
  const std::string secret = call.secret(settings_.client_secret);
  reos::HttpRequest req;
  req.method = "POST";
  req.url = settings_.token_url;
  req.timeout = std::chrono::milliseconds(settings_.timeout_ms);
  req.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  req.headers.emplace_back("Accept", "application/json");
  req.body = "grant_type=client_credentials";
  if (!settings_.scope.empty()) req.body += "&scope=" + percent_encode(settings_.scope);
  if (settings_.client_auth == "basic") {
    req.headers.emplace_back("Authorization",
                             "Basic " + base64(percent_encode(id) + ":" + percent_encode(secret)));
  } else {
    req.body += "&client_id=" + percent_encode(id) + "&client_secret=" + percent_encode(secret);
  }
  const Reply r = send(call, req);
  nlohmann::json body = nlohmann::json::parse(r.body.begin(), r.body.end(), nullptr, false);
  if (r.status == 400 || r.status == 401) {
    // RFC 6749 §5.2: {"error": "invalid_client", "error_description": "…"}
    std::string what =
        "OAuth2 token endpoint refused the client credentials (HTTP " + std::to_string(r.status);
    if (body.is_object() && body.contains("error") && body["error"].is_string()) {
      what += ": " + body["error"].get<std::string>();
      if (body.contains("error_description") && body["error_description"].is_string())
        what += ": " + body["error_description"].get<std::string>();
    }
    throw reos::Invalid(what + "); check client_id, client_secret and scope");
  }
  if (r.status >= 500 || r.status == 429 || r.status == 408)
    throw reos::Retry(describe("OAuth2 token endpoint", r));
  if (r.status != 200) throw std::runtime_error(describe("OAuth2 token endpoint", r));
  if (!body.is_object() || !body.contains("access_token") || !body["access_token"].is_string() ||
      body["access_token"].get<std::string>().empty())
    throw std::runtime_error("OAuth2 token endpoint: the reply has no access_token");
  if (const auto type = body.find("token_type");
      type != body.end() && type->is_string() &&
      !reos::detail::equals_ignoring_case(type->get<std::string>(), "bearer"))
    throw std::runtime_error("OAuth2 token endpoint: token_type '" + type->get<std::string>() +
                             "' is not Bearer (RFC 6750)");
  token_ = body["access_token"].get<std::string>();
  ++fetches_;
  refresh_at_.reset();
  long long lifetime = -1;
  if (const auto e = body.find("expires_in"); e != body.end()) {
    if (e->is_number()) lifetime = e->get<long long>();
    if (e->is_string()) lifetime = std::atoll(e->get<std::string>().c_str());
  }
  if (lifetime >= 0) {
    // Refresh before expiry: the margin, but at most a fifth of a short lifetime.
    const auto life = std::chrono::milliseconds(lifetime * 1000);
    const auto margin = std::min<std::chrono::milliseconds>(
        std::chrono::seconds(settings_.token_refresh_margin_s), life / 5);
    refresh_at_ = now + life - margin;
  }
  call.debug("reso: OAuth2 token fetched (expires_in " + std::to_string(lifetime) + " s)");
}

}  // namespace reso
