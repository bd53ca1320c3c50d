// twilio_events.hpp — a verified Twilio webhook (status callback or inbound SMS) → one
// MessageEvent (schemas/message_event.json). docs/providers.md has the tables.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "form_encoding.hpp"

namespace twilio {

/// The keyword class of an inbound SMS body (trimmed, case-insensitive, whole message):
/// "opted_out" (STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE, OPTOUT), "opted_in"
/// (START, UNSTOP), "help" (HELP) or "inbound".
std::string_view classify_inbound_body(std::string_view body);

/// The event for the request's parameters, or nullopt with `why` (no MessageSid, a status we
/// do not track). `url` is the public URL Twilio called: status callbacks carry our
/// reos_message_id in its query. `help_reply` goes into HELP events as `reply`.
std::optional<nlohmann::json> map_webhook(const FormParams& params, std::string_view url,
                                          const std::string& help_reply, std::string& why);

}  // namespace twilio
