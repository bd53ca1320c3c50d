// Classification of SendGrid Mail Send answers.
#include "mail_send_response.hpp"

#include <algorithm>
#include <cstdlib>

namespace sendgrid {

namespace {

constexpr std::uint64_t kMaxDelayMs = 24ull * 3600 * 1000;

/// A non-negative integer header value, or -1.
long long integer_header(const reos::HttpResponse& r, const char* name) {
  const auto v = r.header(name);
  if (!v || v->empty()) return -1;
  char* end = nullptr;
  const long long n = std::strtoll(v->c_str(), &end, 10);
  return (end != nullptr && *end == '\0' && n >= 0) ? n : -1;
}

}  // namespace

std::string sendgrid_error_text(const std::string& body) {
  const nlohmann::json j = nlohmann::json::parse(body, nullptr, false);
  std::string text;
  if (j.is_object() && j.contains("errors") && j.at("errors").is_array()) {
    for (const auto& e : j.at("errors")) {
      if (!e.is_object()) continue;
      std::string one = e.value("message", std::string());
      if (e.contains("field") && e.at("field").is_string())
        one = e.at("field").get<std::string>() + ": " + one;
      if (!one.empty()) text += (text.empty() ? "" : "; ") + one;
    }
  }
  if (!text.empty()) return text;
  std::string raw = body.substr(0, 200);
  for (char& c : raw)
    if (c == '\r' || c == '\n') c = ' ';
  return raw.empty() ? "(empty body)" : "unexpected body: " + raw;
}

std::uint64_t rate_limit_delay_ms(const reos::HttpResponse& response, std::time_t now) {
  std::uint64_t delay = 0;
  if (const long long s = integer_header(response, "Retry-After"); s >= 0)
    delay = static_cast<std::uint64_t>(s) * 1000;
  if (const long long reset = integer_header(response, "X-RateLimit-Reset"); reset > 0) {
    const long long wait = reset - static_cast<long long>(now);
    // A reset at "now" still means "the next second": wait one, never zero.
    delay = std::max<std::uint64_t>(delay, static_cast<std::uint64_t>(std::max(1LL, wait)) * 1000);
  }
  return std::min(delay, kMaxDelayMs);
}

SendOutcome classify_mail_send(const ProviderResponse& r, std::time_t now) {
  SendOutcome out;
  const int status = r.http.status;
  if (status == 0) {
    // No answer at all: the host says whether it is worth another try.
    out.status = r.transport == REOS_FAIL ? REOS_FAIL : REOS_RETRY;
    out.message = "sendgrid: no response: " + r.error;
    return out;
  }
  if (status == 202 || status == 200) {  // 200: sandbox mode (validated, not sent)
    out.status = REOS_OK;
    out.provider_id = r.http.header("X-Message-Id").value_or("");
    return out;
  }
  const std::string text = sendgrid_error_text(r.http.body);
  const std::string prefix = "sendgrid: HTTP " + std::to_string(status) + ": ";
  if (status == 429 || status >= 500) {
    out.status = REOS_RETRY;
    out.retry_after_ms = rate_limit_delay_ms(r.http, now);
    out.message = prefix + text + (status == 429 ? " (rate limited)" : "");
  } else if (status == 401) {
    out.status = REOS_INVALID;
    out.message = prefix + text + " (check settings.api_key)";
  } else {
    out.status = REOS_FAIL;
    out.message = prefix + text;
  }
  return out;
}

}  // namespace sendgrid
