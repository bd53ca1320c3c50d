// Twilio status callbacks and inbound messages onto MessageEvent types.
#include "twilio_events.hpp"

#include <cctype>
#include <nlohmann/json.hpp>

namespace twilio {

namespace {

struct StatusMap {
  std::string_view twilio;
  std::string_view ours;
};

// Messaging status values (twilio.com/docs/messaging/api/message-resource#message-status-values).
constexpr StatusMap kStatuses[] = {
    {"accepted", "processed"}, {"scheduled", "processed"}, {"queued", "processed"},
    {"sending", "processed"},  {"sent", "sent"},           {"delivered", "delivered"},
    {"undelivered", "failed"}, {"failed", "failed"},       {"read", "opened"},
    {"canceled", "failed"},
};

std::string upper_trimmed(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  std::string out(s.substr(b, e - b));
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string either(const FormParams& p, const char* a, const char* b) {
  std::string v = form_value(p, a);
  return v.empty() ? form_value(p, b) : v;
}

}  // namespace

std::string_view classify_inbound_body(std::string_view body) {
  const std::string word = upper_trimmed(body);
  for (const char* stop :
       {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"})
    if (word == stop) return "opted_out";
  if (word == "START" || word == "UNSTOP") return "opted_in";
  if (word == "HELP") return "help";
  return "inbound";
}

std::optional<nlohmann::json> map_webhook(const FormParams& params, std::string_view url,
                                          const std::string& help_reply, std::string& why) {
  const std::string sid = either(params, "MessageSid", "SmsSid");
  if (sid.empty()) {
    why = "no MessageSid in the request";
    return std::nullopt;
  }
  nlohmann::json raw = nlohmann::json::object();
  for (const auto& [k, v] : params)
    if (!raw.contains(k)) raw[k] = v;
  const std::string status = either(params, "MessageStatus", "SmsStatus");

  nlohmann::json out = {{"channel", "sms"}, {"provider_message_id", sid}};
  if (!status.empty() && status != "received" && status != "receiving") {
    std::string_view type;
    for (const auto& m : kStatuses)
      if (m.twilio == status) type = m.ours;
    if (type.empty()) {
      why = "untracked message status '" + status + "'";
      return std::nullopt;
    }
    // One event per (message, status): Twilio repeats callbacks, and they may arrive out of
    // order; the host's monotonic status rules sort that out.
    out["provider_event_id"] = sid + ":" + status;
    out["type"] = type;
    if (const std::string id = form_value(parse_form(url_query(url)), "reos_message_id");
        !id.empty())
      out["message_id"] = id;
    if (const std::string to = form_value(params, "To"); !to.empty()) out["address"] = to;
    const std::string code = form_value(params, "ErrorCode");
    const std::string text = form_value(params, "ErrorMessage");
    if (!code.empty() || !text.empty())
      out["reason"] = code.empty() ? text : text.empty() ? code : code + " " + text;
  } else {
    const std::string body = form_value(params, "Body");
    const std::string_view type = classify_inbound_body(body);
    out["provider_event_id"] = sid;
    out["type"] = type;
    out["body"] = body;
    if (const std::string from = form_value(params, "From"); !from.empty()) out["address"] = from;
    if (type == "help" && !help_reply.empty()) out["reply"] = help_reply;
  }
  out["raw"] = std::move(raw);
  return out;
}

}  // namespace twilio
