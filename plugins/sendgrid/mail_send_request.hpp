// mail_send_request.hpp — one message (schemas/message.json) as a SendGrid v3 Mail Send body.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "sendgrid_settings.hpp"

namespace sendgrid {

/// Builds the POST /v3/mail/send body: one personalization for `to`, our rendered
/// subject/text/HTML (text/plain first, as SendGrid requires) or template_id with
/// dynamic_template_data, attachments, categories, List-Unsubscribe headers for marketing
/// mail, and custom_args <prefix>message_id / <prefix>tenant so that every event webhook
/// names our message. Throws reos::Invalid naming the field ("message.to: required") when the
/// message cannot be sent as given.
nlohmann::json build_mail_send(const nlohmann::json& message, const Settings& settings);

}  // namespace sendgrid
