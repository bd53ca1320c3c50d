// messages_request.hpp — one SMS (schemas/message.json) as a Twilio Messages API request:
// POST {base}/2010-04-01/Accounts/{AccountSid}/Messages.json, form-encoded.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "form_encoding.hpp"
#include "twilio_settings.hpp"

namespace twilio {

/// To, Body, From or MessagingServiceSid, StatusCallback. The StatusCallback is the
/// message's status_callback_url (else settings.status_callback_url) with
/// reos_message_id=<message_id> added to its query unless it is there already: status callbacks
/// name our message through it. Throws reos::Invalid naming the field.
FormParams build_message_form(const nlohmann::json& message, const Settings& settings);

/// The Messages resource URL of the account.
std::string messages_url(const Settings& settings);

/// `Basic base64(user:password)`.
std::string basic_authorization(const std::string& user, const std::string& password);

}  // namespace twilio
