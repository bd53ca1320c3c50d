// messages_response.hpp — what a Messages API answer means for the host:
//   201 → OK {"provider_id": sid, "status": …};
//   21610 (the recipient replied STOP) → FAIL with output {"suppress": true, "reason":
//     "opted_out", "provider_code": 21610}: the host adds the number to its suppressions;
//   20429 / HTTP 429 and 5xx → RETRY (Retry-After honoured);
//   20003 / HTTP 401 → INVALID (credentials: an operator must fix the settings);
//   any other 4xx (21211 invalid To, 21614 not a mobile number, …) → FAIL "twilio <code>: …".
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "provider_support/provider_http.hpp"

namespace twilio {

using provider_support::ProviderResponse;

/// Twilio's error code for a recipient who opted out.
inline constexpr int kOptedOut = 21610;

struct SendOutcome {
  reos_status status = REOS_FAIL;
  std::optional<nlohmann::json> output;  ///< OK: provider id; 21610: the suppress marker
  std::string message;
  std::uint64_t retry_after_ms = 0;
};

SendOutcome classify_messages_response(const ProviderResponse& response);

}  // namespace twilio
