// event_mapping.hpp — one SendGrid event webhook item → one MessageEvent
// (schemas/message_event.json). docs/providers.md has the table.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

namespace sendgrid {

/// The MessageEvent for `event`, or nullopt with `why` set when it cannot be one (an unknown
/// event type, no sg_event_id). `prefix` is settings.custom_args_prefix: our message id comes
/// back as the top-level field <prefix>message_id, as SendGrid flattens custom_args.
std::optional<nlohmann::json> map_event(const nlohmann::json& event, const std::string& prefix,
                                        std::string& why);

/// Unix seconds as "YYYY-MM-DDTHH:MM:SSZ".
std::string iso8601_utc(long long unix_seconds);

}  // namespace sendgrid
