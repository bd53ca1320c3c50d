// mail_send_response.hpp — what a Mail Send answer means for the host: 202 → OK with the
// X-Message-Id; 429 and 5xx → RETRY no earlier than the rate-limit reset / Retry-After;
// 401 → INVALID (the API key is wrong: an operator must fix the settings); any other 4xx →
// FAIL with SendGrid's own error text (errors[].message, with the field it names).
#pragma once

#include <cstdint>
#include <ctime>
#include <string>

#include "provider_support/provider_http.hpp"

namespace sendgrid {

using provider_support::ProviderResponse;

struct SendOutcome {
  reos_status status = REOS_FAIL;
  std::string provider_id;  ///< X-Message-Id (OK only)
  std::string message;      ///< operator-facing reason (non-OK)
  std::uint64_t retry_after_ms = 0;
};

/// Classifies `response`; `now` (Unix seconds) turns X-RateLimit-Reset into a delay.
SendOutcome classify_mail_send(const ProviderResponse& response, std::time_t now);

/// "field: message; …" from a SendGrid error body, or a short prefix of the raw body when it
/// is not the documented {"errors":[{"message","field"}]} shape.
std::string sendgrid_error_text(const std::string& body);

/// Delay before the next attempt from Retry-After (seconds) or X-RateLimit-Reset (Unix time),
/// the later of the two; 0 when neither is present.
std::uint64_t rate_limit_delay_ms(const reos::HttpResponse& response, std::time_t now);

}  // namespace sendgrid
