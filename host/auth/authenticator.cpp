#include "auth/authenticator.hpp"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "auth/jwt_codec.hpp"
#include "auth/login_throttle.hpp"
#include "auth/secret_token.hpp"
#include "db/connection_pool.hpp"
#include "log/logger.hpp"

namespace reos::api {
namespace {

using nlohmann::json;

constexpr const char* kApiKeyPrefix = "reos_";

std::string bearer_credential(const http::Request& request) {
  const std::string auth = request.header("authorization");
  if (auth.size() > 7 &&
      (auth.compare(0, 7, "Bearer ") == 0 || auth.compare(0, 7, "bearer ") == 0)) {
    return auth.substr(7);
  }
  return "";
}

}  // namespace

void throw_unauthorized(const std::string& detail) {
  throw ApiError(401, "Unauthorized", detail, {},
                 {{"WWW-Authenticate", "Bearer realm=\"reos\", error=\"invalid_token\""}});
}

Authenticator::Authenticator(db::ConnectionPool& pool, auth::AuthSettings settings,
                             auth::Clock clock)
    : pool_(pool), settings_(std::move(settings)), clock_(std::move(clock)) {
  if (!clock_) clock_ = [] { return std::chrono::system_clock::now(); };
  if (!settings_.keys.empty()) {
    jwt_ = std::make_unique<auth::JwtCodec>(settings_.keys, settings_.leeway, clock_);
  }
  throttle_ = std::make_unique<auth::LoginThrottle>(settings_.throttle, clock_);
}

Authenticator::~Authenticator() = default;

void Authenticator::require_configured() const {
  if (!configured()) {
    throw ApiError(503, "Service Unavailable",
                   "authentication is not configured on this hub (hub.yaml auth.jwt_keys)");
  }
}

Caller Authenticator::authenticate(const http::Request& request) const {
  std::string credential = bearer_credential(request);
  if (credential.empty()) credential = request.header("x-api-key");
  if (credential.empty()) {
    throw ApiError(401, "Unauthorized", "missing credentials: send Authorization: Bearer <token>",
                   {}, {{"WWW-Authenticate", "Bearer realm=\"reos\""}});
  }
  if (credential.rfind(kApiKeyPrefix, 0) == 0) return from_api_key(credential);
  require_configured();
  return from_access_token(credential);
}

std::string Authenticator::issue_access_token(const std::string& user_id,
                                              const std::string& tenant_id, Role role) const {
  require_configured();
  const auto now =
      std::chrono::duration_cast<std::chrono::seconds>(clock_().time_since_epoch()).count();
  const json claims = {{"iss", settings_.issuer},
                       {"sub", user_id},
                       {"tid", tenant_id},
                       {"role", to_string(role)},
                       {"iat", now},
                       {"nbf", now},
                       {"exp", now + settings_.access_ttl.count()},
                       {"jti", auth::random_hex(12)}};
  return jwt_->sign(claims.dump());
}

Caller Authenticator::from_access_token(const std::string& token) const {
  const auth::JwtResult r = jwt_->verify(token, {"sub", "tid", "role", "exp", "iss"});
  if (r.error) {
    log::info("api: access token refused", {{"reason", auth::to_string(*r.error)}});
    throw_unauthorized(*r.error == auth::JwtError::expired ? "the access token has expired"
                                                           : "invalid access token");
  }
  const json claims = json::parse(r.claims_json);
  const auto role =
      claims["role"].is_string() ? parse_role(claims["role"].get<std::string>()) : std::nullopt;
  if (!claims["sub"].is_string() || !claims["tid"].is_string() || !role ||
      claims["iss"] != settings_.issuer) {
    throw_unauthorized("invalid access token");
  }
  Caller c;
  c.kind = Caller::Kind::user;
  c.user_id = claims["sub"].get<std::string>();
  c.tenant_id = claims["tid"].get<std::string>();
  c.role = *role;
  return c;
}

Caller Authenticator::from_api_key(const std::string& key) const {
  const std::size_t sep = key.find('_', std::char_traits<char>::length(kApiKeyPrefix));
  if (sep == std::string::npos) throw_unauthorized("invalid API key");
  const std::string prefix = key.substr(0, sep);
  const std::string secret = key.substr(sep + 1);
  pqxx::result rows;
  try {
    auto lease = pool_.acquire(std::chrono::milliseconds(2000));
    pqxx::nontransaction tx(*lease);
    rows = tx.exec_params(
        "SELECT k.id::text, k.tenant_id, encode(k.key_hash, 'hex'), array_to_json(k.scopes)::text,"
        " k.role, COALESCE(k.created_by::text, ''),"
        " k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())"
        "   AND t.status = 'active'"
        " FROM api_keys k JOIN tenants t ON t.id = k.tenant_id WHERE k.prefix = $1",
        prefix);
    if (rows.empty()) throw_unauthorized("invalid API key");
    // Checked before trusting anything else of the row.
    if (!auth::digests_equal(auth::sha256_hex(secret), rows[0][2].as<std::string>())) {
      throw_unauthorized("invalid API key");
    }
    if (!rows[0][6].as<bool>()) throw_unauthorized("the API key is revoked or expired");
    // last_used_at is a hint for operators, not an access log: written at most once a minute.
    tx.exec_params(
        "UPDATE api_keys SET last_used_at = now() WHERE id = $1::uuid"
        " AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')",
        rows[0][0].as<std::string>());
  } catch (const ApiError&) {
    throw;
  } catch (const std::exception& e) {
    log::warn("api: cannot check an API key", {{"error", e.what()}});
    throw ApiError(503, "Service Unavailable", "the database is busy or unreachable; retry later",
                   {}, {{"Retry-After", "1"}});
  }
  Caller c;
  c.kind = Caller::Kind::api_key;
  c.api_key_id = rows[0][0].as<std::string>();
  c.tenant_id = rows[0][1].as<std::string>();
  c.role = parse_role(rows[0][4].as<std::string>()).value_or(Role::viewer);
  c.user_id = rows[0][5].as<std::string>();
  for (const auto& s : json::parse(rows[0][3].as<std::string>()))
    c.scopes.push_back(s.get<std::string>());
  return c;
}

}  // namespace reos::api
