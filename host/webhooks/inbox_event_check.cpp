#include "webhooks/inbox_event_check.hpp"

#include <nlohmann/json.hpp>

namespace reos::webhooks {
namespace {

InboxEvent check_one(const std::string& text) {
  InboxEvent ev;
  nlohmann::json doc;
  try {
    // Only the top level is needed here: nested values are checked but not built.
    doc = nlohmann::json::parse(
        text, [](int depth, nlohmann::json::parse_event_t event, nlohmann::json&) {
          using E = nlohmann::json::parse_event_t;
          if (depth == 1 && (event == E::object_start || event == E::array_start)) return false;
          return depth <= 1;
        });
  } catch (const nlohmann::json::parse_error& e) {
    ev.failure = std::string("event is not valid JSON: ") + e.what();
    return ev;
  }
  if (!doc.is_object()) {
    ev.failure = std::string("event is not a JSON object but ") + doc.type_name();
    return ev;
  }
  if (text.find("\\u0000") != std::string::npos) {
    ev.failure = "event contains \\u0000, which PostgreSQL jsonb cannot store";
    return ev;
  }
  ev.payload_json = text;
  const auto id = doc.find("provider_event_id");
  if (id == doc.end() || !id->is_string() || id->get_ref<const std::string&>().empty()) {
    ev.failure = "event has no provider_event_id string";
    return ev;
  }
  const std::string& value = id->get_ref<const std::string&>();
  if (value.size() > 400) {
    ev.failure = "provider_event_id is longer than 400 bytes";
    return ev;
  }
  ev.provider_event_id = value;
  const auto error = doc.find("error");
  if (error != doc.end() && error->is_string()) ev.failure = error->get<std::string>();
  return ev;
}

}  // namespace

std::vector<InboxEvent> check_emitted_events(const std::vector<std::string>& emitted) {
  std::vector<InboxEvent> events;
  events.reserve(emitted.size());
  for (const std::string& text : emitted) events.push_back(check_one(text));
  return events;
}

}  // namespace reos::webhooks
