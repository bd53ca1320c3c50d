#pragma once

// Checks a mustache template when the config is checked, not when a message is sent: syntax
// (balanced sections, no partials, well-formed delimiters) and that every variable is in the
// message model (message_model.hpp) or declared caller data. docs/messaging.md, "Templates".

#include <string>
#include <vector>

namespace reos::messaging {

/// One problem, at a 1-based line and column of the template text.
struct TemplateProblem {
  int line = 1;
  int column = 1;
  std::string message;
};

/// `declared`: the template's `variables:`; `html`: the text is an HTML part, where unescaped
/// output ({{{x}}} or {{&x}}) is allowed only for names in `html_variables`.
std::vector<TemplateProblem> check_template(const std::string& text,
                                            const std::vector<std::string>& declared,
                                            const std::vector<std::string>& html_variables,
                                            bool html);

}  // namespace reos::messaging
