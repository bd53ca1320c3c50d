#include "messaging/message_render.hpp"

#include <kainjow/mustache.hpp>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "messaging/messaging_settings.hpp"

namespace reos::messaging {
namespace {

namespace mustache = kainjow::mustache;

mustache::data to_data(const nlohmann::json& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::object: {
      mustache::data out{mustache::data::type::object};
      for (const auto& [key, value] : j.items()) out.set(key, to_data(value));
      return out;
    }
    case nlohmann::json::value_t::array: {
      mustache::data out{mustache::data::type::list};
      for (const auto& value : j) out.push_back(to_data(value));
      return out;
    }
    case nlohmann::json::value_t::string:
      return mustache::data(j.get<std::string>());
    case nlohmann::json::value_t::boolean:
      return mustache::data(j.get<bool>());
    case nlohmann::json::value_t::null:
    case nlohmann::json::value_t::discarded:
      return mustache::data(false);
    default:  // numbers print as JSON writes them
      return mustache::data(j.dump());
  }
}

}  // namespace

std::string render_mustache(const std::string& text, const nlohmann::json& model, bool html) {
  if (text.empty()) return "";
  mustache::mustache tmpl(text);
  if (!tmpl.is_valid()) throw std::invalid_argument("template: " + tmpl.error_message());
  if (!html) tmpl.set_custom_escape([](const std::string& s) { return s; });
  std::string out = tmpl.render(to_data(model));
  if (!tmpl.is_valid()) throw std::invalid_argument("template: " + tmpl.error_message());
  return out;
}

RenderedContent render_template(const MessageTemplate& tpl, const nlohmann::json& model) {
  RenderedContent out;
  out.subject = render_mustache(tpl.subject, model, false);
  out.text = render_mustache(tpl.text, model, false);
  out.html = render_mustache(tpl.html, model, true);
  return out;
}

}  // namespace reos::messaging
