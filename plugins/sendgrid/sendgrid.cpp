// sendgrid — a notifier (v3 Mail Send) and webhook (Signed Event Webhook) plugin
// (docs/providers.md). Immutable after create, hence REOS_FLAG_THREAD_SAFE: the host may
// verify webhook posts for one connector on several threads at once.
#include <chrono>
#include <ctime>
#include <memory>
#include <reos/plugin.hpp>

#include "event_mapping.hpp"
#include "event_webhook_signature.hpp"
#include "mail_send_request.hpp"
#include "mail_send_response.hpp"
#include "provider_support/provider_http.hpp"
#include "sendgrid_settings.hpp"

namespace sendgrid {

using provider_support::send_through_host;

namespace {

bool all_digits(std::string_view s) {
  if (s.empty() || s.size() > 18) return false;
  for (const char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace

class SendGrid : public reos::Plugin {
 public:
  SendGrid(reos::Call& call, const nlohmann::json& settings) : settings_(parse_settings(settings)) {
    if (!settings_.webhook_public_key.empty()) {
      try {
        verifier_ = std::make_unique<EventWebhookVerifier>(settings_.webhook_public_key);
      } catch (const std::invalid_argument& e) {
        throw reos::Invalid(std::string("settings.webhook_public_key: ") + e.what());
      }
    }
    call.debug("sendgrid: ready, mail send at " + settings_.base_url);
  }

  reos::Result notify(reos::Call& call, const nlohmann::json& message) {
    const nlohmann::json body = build_mail_send(message, settings_);
    reos::HttpRequest request;
    request.method = "POST";
    request.url = settings_.base_url + "/v3/mail/send";
    request.headers = {{"Authorization", "Bearer " + call.secret(settings_.api_key)},
                       {"Content-Type", "application/json"}};
    request.body = body.dump();
    request.timeout = std::chrono::milliseconds(settings_.timeout_ms);
    const SendOutcome outcome =
        classify_mail_send(send_through_host(call, request), std::time(nullptr));
    switch (outcome.status) {
      case REOS_OK:
        call.counter_add("sendgrid_sent");
        return reos::Result::ok({{"provider_id", outcome.provider_id}});
      case REOS_RETRY:
        call.counter_add("sendgrid_send_retries");
        return reos::Result::retry(outcome.retry_after_ms, outcome.message);
      case REOS_INVALID:
        return reos::Result::invalid(outcome.message);
      default:
        call.counter_add("sendgrid_send_failures");
        return reos::Result::fail(outcome.message);
    }
  }

  reos::Result webhook(reos::Call& call, const reos::WebhookRequest& request) {
    if (!verifier_)
      return reos::Result::invalid(
          "sendgrid: settings.webhook_public_key is not set; unsigned events are refused");
    const auto signature = request.header(kSignatureHeader);
    const auto timestamp = request.header(kTimestampHeader);
    if (!signature || signature->empty())
      return reos::Result::invalid(std::string("sendgrid: missing header ") + kSignatureHeader);
    if (!timestamp || !all_digits(*timestamp))
      return reos::Result::invalid(std::string("sendgrid: missing or non-numeric header ") +
                                   kTimestampHeader);
    if (!verifier_->verify(*timestamp, request.body, *signature))
      return reos::Result::invalid(
          "sendgrid: the event webhook signature does not match the body (wrong "
          "webhook_public_key, or the body was altered)");
    if (settings_.timestamp_tolerance_s > 0) {
      const long long age =
          static_cast<long long>(std::time(nullptr)) - std::stoll(std::string(*timestamp));
      if (age > settings_.timestamp_tolerance_s || -age > settings_.timestamp_tolerance_s)
        return reos::Result::invalid("sendgrid: the signed timestamp is " + std::to_string(age) +
                                     " s from now, outside timestamp_tolerance_s");
    }
    // Verified: from here on a problem is the content's, not the sender's (FAIL, kept).
    nlohmann::json parsed = nlohmann::json::parse(request.body, nullptr, false);
    if (parsed.is_discarded()) return reos::Result::fail("sendgrid: signed body is not JSON");
    // Moved, not copied: a 100-event post would otherwise be deep-copied once more.
    const nlohmann::json events =
        parsed.is_array() ? std::move(parsed) : nlohmann::json::array({std::move(parsed)});
    for (const auto& event : events) {
      std::string why;
      if (auto mapped = map_event(event, settings_.custom_args_prefix, why)) {
        call.emit(*mapped);
        call.counter_add("sendgrid_events");
      } else {
        call.warn("sendgrid: event skipped: " + why);
        call.counter_add("sendgrid_events_skipped");
      }
    }
    return reos::Result::ok();
  }

 private:
  const Settings settings_;
  std::unique_ptr<EventWebhookVerifier> verifier_;
};

}  // namespace sendgrid

REOS_CPP_PLUGIN(sendgrid::SendGrid, "sendgrid", "1.0.0",
                "SendGrid email: v3 Mail Send and the Signed Event Webhook",
                REOS_KIND_NOTIFIER | REOS_KIND_WEBHOOK, REOS_FLAG_THREAD_SAFE,
                sendgrid::kSettingsSchema);
