#include "webhooks/inbox_event_check.hpp"

#include <nlohmann/json.hpp>

namespace reos::webhooks {
namespace {

using json = nlohmann::json;

// Validates one emitted event and picks out the two top-level strings the inbox needs
// (`provider_event_id`, `error`) without building a document: this runs for every event of
// every request before the commit (100 per SendGrid post).
class TopLevelFields : public nlohmann::json_sax<json> {
 public:
  std::string provider_event_id;
  std::string error;
  bool has_id = false;  ///< `provider_event_id` present as a string
  bool has_error = false;
  json::value_t top = json::value_t::discarded;  ///< the type of the document itself
  std::string error_text;                        ///< why the text is not JSON

  bool null() override { return scalar(json::value_t::null); }
  bool boolean(bool) override { return scalar(json::value_t::boolean); }
  bool number_integer(number_integer_t) override { return scalar(json::value_t::number_integer); }
  bool number_unsigned(number_unsigned_t) override {
    return scalar(json::value_t::number_unsigned);
  }
  bool number_float(number_float_t, const string_t&) override {
    return scalar(json::value_t::number_float);
  }
  bool string(string_t& value) override {
    if (depth_ == 1 && key_ == Key::id) {
      provider_event_id = std::move(value);
      has_id = true;
    } else if (depth_ == 1 && key_ == Key::error) {
      error = std::move(value);
      has_error = true;
    }
    return scalar(json::value_t::string);
  }
  bool binary(binary_t&) override { return scalar(json::value_t::binary); }
  bool start_object(std::size_t) override { return open(json::value_t::object); }
  bool end_object() override { return close(); }
  bool start_array(std::size_t) override { return open(json::value_t::array); }
  bool end_array() override { return close(); }
  bool key(string_t& name) override {
    if (depth_ == 1) {
      // A repeated key: the last one wins, as when the document is built.
      key_ = name == "provider_event_id" ? Key::id : name == "error" ? Key::error : Key::other;
      if (key_ == Key::id) has_id = false;
      if (key_ == Key::error) has_error = false;
    }
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) override {
    error_text = e.what();
    return false;
  }

 private:
  enum class Key { other, id, error };
  bool scalar(json::value_t type) {
    if (depth_ == 0) top = type;
    return true;
  }
  bool open(json::value_t type) {
    if (depth_ == 0) top = type;
    ++depth_;
    return true;
  }
  bool close() {
    --depth_;
    return true;
  }
  int depth_ = 0;
  Key key_ = Key::other;
};

const char* type_name(json::value_t type) {
  switch (type) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return "boolean";
    case json::value_t::string:
      return "string";
    case json::value_t::array:
      return "array";
    case json::value_t::binary:
      return "binary";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      return "number";
    default:
      return "discarded";
  }
}

InboxEvent check_one(const std::string& text) {
  InboxEvent ev;
  TopLevelFields fields;
  if (!json::sax_parse(text, &fields)) {
    ev.failure = "event is not valid JSON: " + fields.error_text;
    return ev;
  }
  if (fields.top != json::value_t::object) {
    ev.failure = std::string("event is not a JSON object but ") + type_name(fields.top);
    return ev;
  }
  if (text.find("\\u0000") != std::string::npos) {
    ev.failure = "event contains \\u0000, which PostgreSQL jsonb cannot store";
    return ev;
  }
  ev.payload_json = text;
  if (!fields.has_id || fields.provider_event_id.empty()) {
    ev.failure = "event has no provider_event_id string";
    return ev;
  }
  if (fields.provider_event_id.size() > 400) {
    ev.failure = "provider_event_id is longer than 400 bytes";
    return ev;
  }
  ev.provider_event_id = std::move(fields.provider_event_id);
  if (fields.has_error) ev.failure = std::move(fields.error);
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
