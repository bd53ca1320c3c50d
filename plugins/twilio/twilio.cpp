// twilio — an SMS notifier (Messages API) and webhook (status callbacks, inbound SMS with
// opt-out keywords) plugin (docs/providers.md). Immutable after create: REOS_FLAG_THREAD_SAFE.
#include <chrono>
#include <reos/plugin.hpp>

#include "messages_request.hpp"
#include "messages_response.hpp"
#include "provider_support/provider_http.hpp"
#include "twilio_events.hpp"
#include "twilio_settings.hpp"
#include "twilio_signature.hpp"

namespace twilio {

using provider_support::send_through_host;

class Twilio : public reos::Plugin {
 public:
  Twilio(reos::Call& call, const nlohmann::json& settings) : settings_(parse_settings(settings)) {
    call.debug("twilio: ready for account " + settings_.account_sid);
  }

  reos::Result notify(reos::Call& call, const nlohmann::json& message) {
    const FormParams form = build_message_form(message, settings_);
    const bool api_key = !settings_.api_key_sid.empty();
    reos::HttpRequest request;
    request.method = "POST";
    request.url = messages_url(settings_);
    request.headers = {{"Authorization",
                        basic_authorization(api_key ? settings_.api_key_sid : settings_.account_sid,
                                            call.secret(api_key ? settings_.api_key_secret
                                                                : settings_.auth_token))},
                       {"Content-Type", "application/x-www-form-urlencoded"},
                       {"Accept", "application/json"}};
    request.body = encode_form(form);
    request.timeout = std::chrono::milliseconds(settings_.timeout_ms);
    const SendOutcome outcome = classify_messages_response(send_through_host(call, request));
    if (outcome.status == REOS_OK) {
      if (!outcome.message.empty()) call.warn(outcome.message);
      call.counter_add("twilio_sent");
      return reos::Result::ok(*outcome.output);
    }
    if (outcome.output) {
      // A failure that still tells the host something (the suppress marker): the output is
      // kept with the FAIL status. Result::fail carries no output, so set it directly.
      const std::string text = outcome.output->dump();
      call.host().raw()->set_output(call.raw(), text.data(), text.size());
    }
    switch (outcome.status) {
      case REOS_RETRY:
        call.counter_add("twilio_send_retries");
        return reos::Result::retry(outcome.retry_after_ms, outcome.message);
      case REOS_INVALID:
        return reos::Result::invalid(outcome.message);
      default:
        call.counter_add("twilio_send_failures");
        return reos::Result::fail(outcome.message);
    }
  }

  reos::Result webhook(reos::Call& call, const reos::WebhookRequest& request) {
    std::string why, token;
    try {
      token = call.secret(settings_.auth_token);
    } catch (const reos::Invalid& e) {
      // Our configuration, not the sender's fault: 503 so that Twilio sends it again.
      return reos::Result::retry(30000, std::string("twilio: ") + e.what());
    }
    const std::string signature(request.header(kSignatureHeader).value_or(""));
    if (!validate_signature(token, request.url, request.body, signature, why))
      return reos::Result::invalid("twilio: " + why);
    // Verified. Status callbacks and inbound messages are form posts; a JSON body (signed
    // through bodySHA256) is read as an object of the same parameters.
    FormParams params;
    const auto content_type = request.header("Content-Type").value_or("");
    if (content_type.find("json") != std::string_view::npos) {
      const nlohmann::json j = nlohmann::json::parse(request.body, nullptr, false);
      if (!j.is_object()) return reos::Result::fail("twilio: signed JSON body is not an object");
      for (const auto& [k, v] : j.items())
        params.emplace_back(k, v.is_string() ? v.get<std::string>() : v.dump());
    } else {
      params = parse_form(request.body);
    }
    const auto event = map_webhook(params, request.url, settings_.help_reply, why);
    if (!event) {
      call.warn("twilio: webhook skipped: " + why);
      call.counter_add("twilio_events_skipped");
      return reos::Result::ok();
    }
    call.emit(*event);
    call.counter_add("twilio_events");
    return reos::Result::ok();
  }

 private:
  const Settings settings_;
};

}  // namespace twilio

REOS_CPP_PLUGIN(twilio::Twilio, "twilio", "1.0.0",
                "Twilio SMS: Messages API, status callbacks and inbound messages with opt-out",
                REOS_KIND_NOTIFIER | REOS_KIND_WEBHOOK, REOS_FLAG_THREAD_SAFE,
                twilio::kSettingsSchema);
