// SendGrid event types onto MessageEvent types.
#include "event_mapping.hpp"

#include <ctime>
#include <nlohmann/json.hpp>
#include <string_view>

namespace sendgrid {

namespace {

struct TypeMap {
  std::string_view sendgrid;
  std::string_view ours;
};

constexpr TypeMap kTypes[] = {
    {"processed", "processed"},
    {"dropped", "dropped"},
    {"delivered", "delivered"},
    {"deferred", "deferred"},
    {"bounce", "bounced"},  // type=blocked → "blocked", below
    {"open", "opened"},
    {"click", "clicked"},
    {"spamreport", "spam_reported"},
    {"unsubscribe", "unsubscribed"},
    {"group_unsubscribe", "group_unsubscribed"},
    {"group_resubscribe", "group_resubscribed"},
};

std::string string_of(const nlohmann::json& e, const std::string& key) {
  const auto it = e.find(key);
  if (it == e.end()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number()) return it->dump();
  return "";
}

/// The reason text of bounces, drops and deferrals: status code and text, as SendGrid gives.
std::string reason_of(const nlohmann::json& e) {
  std::string reason = string_of(e, "reason");
  if (reason.empty()) reason = string_of(e, "response");  // deferred carries "response"
  const std::string status = string_of(e, "status");
  if (!status.empty()) reason = reason.empty() ? status : status + " " + reason;
  return reason;
}

}  // namespace

std::string iso8601_utc(long long unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::optional<nlohmann::json> map_event(const nlohmann::json& e, const std::string& prefix,
                                        std::string& why) {
  if (!e.is_object()) {
    why = "an event is not a JSON object";
    return std::nullopt;
  }
  const std::string kind = string_of(e, "event");
  std::string_view type;
  for (const auto& m : kTypes)
    if (m.sendgrid == kind) type = m.ours;
  if (type.empty()) {
    why = "unknown event type '" + kind + "'";
    return std::nullopt;
  }
  if (kind == "bounce" && string_of(e, "type") == "blocked") type = "blocked";
  const std::string event_id = string_of(e, "sg_event_id");
  if (event_id.empty()) {
    why = "a '" + kind + "' event without sg_event_id";
    return std::nullopt;
  }

  nlohmann::json out = {{"provider_event_id", event_id}, {"type", type}, {"channel", "email"}};
  if (const std::string id = string_of(e, prefix + "message_id"); !id.empty())
    out["message_id"] = id;
  // sg_message_id is X-Message-Id + "." + the filter's suffix; the part before the first dot
  // is what the send call stored as provider_id.
  if (std::string sg = string_of(e, "sg_message_id"); !sg.empty())
    out["provider_message_id"] = sg.substr(0, sg.find('.'));
  if (const std::string email = string_of(e, "email"); !email.empty()) out["address"] = email;
  if (const auto ts = e.find("timestamp"); ts != e.end() && ts->is_number_integer())
    out["occurred_at"] = iso8601_utc(ts->get<long long>());
  if (const std::string reason = reason_of(e); !reason.empty()) out["reason"] = reason;
  if (const std::string url = string_of(e, "url"); !url.empty() && kind == "click")
    out["url"] = url;
  out["raw"] = e;
  return out;
}

}  // namespace sendgrid
