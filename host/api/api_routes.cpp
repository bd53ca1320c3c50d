// ApiContext::route and ::public_route: the wrapper every REST handler runs inside
// (the order is documented in api_context.hpp and docs/api.md).
#include <string>

#include "api/api_context.hpp"
#include "api/idempotency.hpp"
#include "api/json_body.hpp"
#include "api/rate_limiter.hpp"
#include "auth/authenticator.hpp"
#include "http/router.hpp"
#include "log/logger.hpp"

namespace reos::api {
namespace {

http::Response problem_of(const ApiError& e, const http::Request& req) {
  http::Problem p = e.problem();
  if (p.instance.empty()) p.instance = req.path;
  http::Response r = http::problem_response(p);
  for (const auto& h : e.headers()) r.headers.push_back(h);
  return r;
}

// Maps ApiError to problem+json and anything else to a 500 that hides the exception text.
http::Response guarded(const http::Request& req, const std::function<http::Response()>& fn) {
  try {
    return fn();
  } catch (const ApiError& e) {
    return problem_of(e, req);
  } catch (const std::exception& e) {
    log::error("api: request failed",
               {{"route", req.route}, {"request_id", req.request_id}, {"error", e.what()}});
    return http::problem(500, "Internal Server Error", "the request could not be completed",
                         req.path);
  }
}

void check_body_limits(const http::Request& req, std::size_t max_depth) {
  if (!req.body.empty() && json_nesting_depth(req.body) > max_depth) {
    throw ApiError(400, "Malformed JSON",
                   "the body nests deeper than " + std::to_string(max_depth) + " levels");
  }
}

[[noreturn]] void throw_rate_limited(std::chrono::milliseconds wait) {
  const long seconds = retry_after_seconds(wait);
  throw ApiError(429, "Too Many Requests",
                 "rate limit exceeded; retry after " + std::to_string(seconds) + " s", {},
                 {{"Retry-After", std::to_string(seconds)}});
}

}  // namespace

void ApiContext::route(http::Router& router, const std::string& method, const std::string& pattern,
                       RouteAccess access, ApiHandler handler) const {
  if (!access.authenticated) {
    // A public route that still wants the ApiRequest shape: no caller (tenant "", role
    // viewer), per-address limit, no role/scope check, no Idempotency-Key (no tenant).
    public_route(router, method, pattern, [handler](const http::Request& req) {
      const Caller nobody;
      return handler(ApiRequest{req, nobody, req.remote_addr, req.header("user-agent")});
    });
    return;
  }
  router.add(
      method, pattern, [this, access, handler = std::move(handler)](const http::Request& req) {
        return guarded(req, [&]() -> http::Response {
          check_body_limits(req, settings_.max_json_depth);
          const Caller caller = authenticate_or_charge_address(req);
          if (auto wait = limiter_->acquire(caller)) throw_rate_limited(*wait);
          if (caller.role < access.min_role) {
            throw_forbidden(std::string("this needs the role ") + to_string(access.min_role) +
                            " or higher; the caller is " + to_string(caller.role));
          }
          if (!caller.has_scope(access.scope)) {
            throw_forbidden("the API key lacks the scope " + access.scope);
          }
          const ApiRequest api_req{req, caller, req.remote_addr, req.header("user-agent")};
          const std::string key = req.header("idempotency-key");
          if (req.method == "POST" && access.idempotent_post && !key.empty()) {
            // A handler that throws stores nothing: the client may retry with the same key.
            return idempotency_->run(api_req, key, [&] { return handler(api_req); });
          }
          return handler(api_req);
        });
      });
}

Caller ApiContext::authenticate_or_charge_address(const http::Request& req) const {
  try {
    return auth_->authenticate(req);
  } catch (const ApiError& e) {
    // A failed authentication costs a token of the address's bucket (the public routes'
    // per-address limit), so a flood of bad tokens or guessed keys from one address is
    // answered 429 after the burst; callers that authenticate never touch that bucket.
    if (e.problem().status == 401) {
      if (auto wait = limiter_->acquire_ip(req.remote_addr)) throw_rate_limited(*wait);
    }
    throw;
  }
}

void ApiContext::public_route(http::Router& router, const std::string& method,
                              const std::string& pattern, PublicHandler handler) const {
  router.add(method, pattern, [this, handler = std::move(handler)](const http::Request& req) {
    return guarded(req, [&]() -> http::Response {
      check_body_limits(req, settings_.max_json_depth);
      if (auto wait = limiter_->acquire_ip(req.remote_addr)) throw_rate_limited(*wait);
      return handler(req);
    });
  });
}

}  // namespace reos::api
