#pragma once

// Renders a tenant template with kainjow mustache. In the HTML part {{x}} is HTML-escaped
// (& < > " ') and {{{x}}} is raw (allowed only for the template's html_variables, checked at
// config time); subject, text and SMS bodies are plain text, so nothing is escaped there.

#include <nlohmann/json_fwd.hpp>
#include <string>

namespace reos::messaging {

struct MessageTemplate;

/// The parts handed to the notifier (empty when the template has none).
struct RenderedContent {
  std::string subject;
  std::string text;
  std::string html;
};

/// Renders every part of `tpl` against `model` (message_model.hpp). Throws
/// std::invalid_argument when a part is not valid mustache (config check prevents this).
RenderedContent render_template(const MessageTemplate& tpl, const nlohmann::json& model);

/// Renders one mustache text; `html` selects HTML escaping.
std::string render_mustache(const std::string& text, const nlohmann::json& model, bool html);

}  // namespace reos::messaging
