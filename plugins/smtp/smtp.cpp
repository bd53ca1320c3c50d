// smtp — a reos notifier plugin that sends email through any SMTP server (the tenant's own
// relay, a provider's SMTP endpoint, or a local MTA) with correct MIME. See README.md.
#include <ctime>
#include <reos/plugin.hpp>

#include "mail_composer.hpp"
#include "smtp_settings.hpp"
#include "smtp_transport.hpp"

namespace smtp {

/// One notifier per tenant connector; holds its settings with the password resolved.
class SmtpNotifier : public reos::Plugin {
 public:
  SmtpNotifier(reos::Call& call, const nlohmann::json& settings) {
    try {
      settings_ = parse_settings(settings);
    } catch (const std::invalid_argument& e) {
      throw reos::Invalid(e.what());
    }
    if (!settings_.password.empty()) {
      try {
        settings_.password = call.secret(settings_.password);
      } catch (const reos::Invalid& e) {
        throw reos::Invalid(std::string("settings.password: ") + e.what() +
                            " (give a secret reference: ${ENV_NAME} or file:/path)");
      }
    }
  }

  /// Sends one message; output {"provider_id": "<Message-ID>", "smtp_reply": "250 …"}.
  reos::Result notify(reos::Call& call, const nlohmann::json& message) {
    ComposedMail mail;
    try {
      mail = compose_mail(message, settings_, std::time(nullptr));
    } catch (const InvalidMessage& e) {
      return reos::Result::invalid(e.what());
    }
    const SendOutcome sent = send_mail(mail, settings_);
    switch (sent.kind) {
      case SendOutcome::Kind::sent:
        call.counter_add("smtp_sent", 1);
        return reos::Result::ok(
            {{"provider_id", "<" + mail.message_id + ">"}, {"smtp_reply", sent.reply}});
      case SendOutcome::Kind::temporary:
        call.counter_add("smtp_deferred", 1);
        return reos::Result::retry(std::chrono::seconds(60), "smtp: " + sent.detail);
      case SendOutcome::Kind::permanent:
        break;
    }
    call.counter_add("smtp_failed", 1);
    return reos::Result::fail("smtp: " + sent.detail);
  }

 private:
  SmtpSettings settings_;
};

/// The JSON Schema (draft-07) the host validates the settings against.
constexpr char kSettingsSchema[] = R"({
  "type": "object",
  "required": ["url", "from"],
  "additionalProperties": false,
  "properties": {
    "url": {"type": "string", "pattern": "^smtps?://[^/]+(/.*)?$"},
    "starttls": {"enum": ["off", "opportunistic", "required"]},
    "ca_file": {"type": "string"},
    "verify_peer": {"type": "boolean"},
    "username": {"type": "string"},
    "password": {"type": "string"},
    "from": {"type": "string", "pattern": "^[^@\\s<>]+@[^@\\s<>]+$"},
    "from_name": {"type": "string"},
    "message_id_domain": {"type": "string", "pattern": "^[A-Za-z0-9.-]+$"},
    "timeout_ms": {"type": "integer", "minimum": 1000, "maximum": 600000}
  }
})";

}  // namespace smtp

REOS_CPP_PLUGIN(smtp::SmtpNotifier, "smtp", "1.0.0",
                "Email over SMTP (STARTTLS, AUTH) with multipart MIME and List-Unsubscribe",
                REOS_KIND_NOTIFIER, 0, smtp::kSettingsSchema);
