// Classification of Twilio Messages API answers (error codes: twilio.com/docs/api/errors).
#include "messages_response.hpp"

#include <algorithm>
#include <cstdlib>

namespace twilio {

namespace {

std::uint64_t retry_after_ms(const reos::HttpResponse& r) {
  const auto v = r.header("Retry-After");
  if (!v || v->empty()) return 0;
  char* end = nullptr;
  const long long s = std::strtoll(v->c_str(), &end, 10);
  if (end == nullptr || *end != '\0' || s < 0) return 0;
  return static_cast<std::uint64_t>(std::min(s, 86400LL)) * 1000;
}

}  // namespace

SendOutcome classify_messages_response(const ProviderResponse& r) {
  SendOutcome out;
  const int status = r.http.status;
  if (status == 0) {
    out.status = r.transport == REOS_FAIL ? REOS_FAIL : REOS_RETRY;
    out.message = "twilio: no response: " + r.error;
    return out;
  }
  const nlohmann::json body = nlohmann::json::parse(r.http.body, nullptr, false);
  if (status == 200 || status == 201) {
    out.status = REOS_OK;
    // Accepted: even an unreadable body means the message is on its way, so it is not sent
    // again; status callbacks still find it through reos_message_id.
    std::string sid, state;
    if (body.is_object()) {
      if (body.contains("sid") && body.at("sid").is_string()) sid = body.at("sid");
      if (body.contains("status") && body.at("status").is_string()) state = body.at("status");
    }
    out.output = nlohmann::json{{"provider_id", sid}};
    if (!state.empty()) (*out.output)["status"] = state;
    if (sid.empty()) out.message = "twilio: HTTP " + std::to_string(status) + " without a sid";
    return out;
  }
  int code = 0;
  std::string text;
  if (body.is_object()) {
    if (body.contains("code") && body.at("code").is_number_integer()) code = body.at("code");
    if (body.contains("message") && body.at("message").is_string()) text = body.at("message");
  }
  if (text.empty()) {
    text = r.http.body.substr(0, 200);
    std::replace(text.begin(), text.end(), '\n', ' ');
    text = text.empty() ? "(empty body)" : "unexpected body: " + text;
  }
  const std::string what = "twilio: HTTP " + std::to_string(status) +
                           (code ? " error " + std::to_string(code) : std::string()) + ": " + text;
  if (code == kOptedOut) {
    out.status = REOS_FAIL;
    out.message = what + " (recipient opted out: suppress)";
    out.output =
        nlohmann::json{{"suppress", true}, {"reason", "opted_out"}, {"provider_code", kOptedOut}};
  } else if (status == 429 || code == 20429 || status >= 500) {
    out.status = REOS_RETRY;
    out.retry_after_ms = retry_after_ms(r.http);
    out.message = what;
  } else if (status == 401 || code == 20003) {
    out.status = REOS_INVALID;
    out.message = what + " (check account_sid, auth_token / api key)";
  } else {
    out.status = REOS_FAIL;
    out.message = what;
  }
  return out;
}

}  // namespace twilio
