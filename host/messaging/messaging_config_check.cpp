#include "messaging/messaging_config_check.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "config/yaml_document.hpp"
#include "messaging/message_model.hpp"
#include "messaging/template_check.hpp"

namespace reos::messaging {
namespace {

using nlohmann::json;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> string_list(const json& t, const char* key) {
  std::vector<std::string> out;
  for (const json& v : t.value(key, json::array())) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

// Where line/column `p` of a scalar's text is in the file: block scalars (| or >) start on
// the next non-empty line at its indentation; quoted scalars one column after the quote.
config::SourcePos file_position(const config::SourcePos& node, const std::vector<std::string>& file,
                                const TemplateProblem& p) {
  config::SourcePos at = node;
  const std::string& line = node.line >= 1 && node.line <= static_cast<int>(file.size())
                                ? file[node.line - 1]
                                : std::string();
  const char first = node.column >= 1 && node.column <= static_cast<int>(line.size())
                         ? line[node.column - 1]
                         : '\0';
  if (first == '|' || first == '>') {
    int content = node.line + 1;
    while (content <= static_cast<int>(file.size()) &&
           file[content - 1].find_first_not_of(" \t") == std::string::npos) {
      ++content;
    }
    const int indent = content <= static_cast<int>(file.size())
                           ? static_cast<int>(file[content - 1].find_first_not_of(' '))
                           : 0;
    at.line = content + p.line - 1;
    at.column = indent + p.column;
    return at;
  }
  const int quote = first == '"' || first == '\'' ? 1 : 0;
  at.line = node.line + p.line - 1;
  at.column = p.line == 1 ? node.column + quote + p.column - 1 : p.column;
  return at;
}

class SectionChecker {
 public:
  SectionChecker(const config::YamlDocument& doc, const std::string& file_text,
                 std::vector<config::ConfigError>& errors)
      : doc_(doc), file_(lines_of(file_text)), errors_(errors) {}

  void run() {
    const json& root = doc_.root();
    if (!root.is_object() || !root.contains("messaging") || !root["messaging"].is_object()) return;
    const json& messaging = root["messaging"];
    if (messaging.contains("unsubscribe_secret") && messaging["unsubscribe_secret"].is_string()) {
      const std::string name = messaging["unsubscribe_secret"];
      const json secrets = root.value("secrets", json::object());
      if (!secrets.is_object() || !secrets.contains(name)) {
        error("/messaging/unsubscribe_secret",
              "names no entry of secrets: (add secrets: { " + name + ": ${ENV_NAME} })");
      }
    }
    const json templates = messaging.value("templates", json::object());
    if (!templates.is_object()) return;
    static const std::regex kName("^[a-z0-9][a-z0-9_-]{0,62}$");
    for (const auto& [name, t] : templates.items()) {
      const std::string pointer = config::pointer_append("/messaging/templates", name);
      if (!std::regex_match(name, kName)) {
        errors_.push_back(config::error_at(
            doc_, pointer, "template names are 1 to 63 of a-z, 0-9, '-' and '_'", true));
      }
      if (t.is_object()) check_template_entry(pointer, t);
    }
  }

 private:
  void error(const std::string& pointer, const std::string& message) {
    errors_.push_back(config::error_at(doc_, pointer, message));
  }

  void check_template_entry(const std::string& base, const json& t) {
    const std::string channel = t.value("channel", "email");
    const auto has = [&](const char* key) {
      return t.contains(key) && t[key].is_string() && !t[key].get<std::string>().empty();
    };
    if (channel == "email") {
      if (!has("subject")) error(base, "an email template needs a subject");
      if (!has("text") && !has("html")) error(base, "an email template needs text or html");
    } else if (channel == "sms") {
      if (!has("text")) error(base, "an sms template needs text (the SMS body)");
      for (const char* key : {"subject", "html"}) {
        if (t.contains(key)) error(base + "/" + key, "an sms template has only text");
      }
    }
    const std::vector<std::string> declared = string_list(t, "variables");
    const std::vector<std::string> html_vars = string_list(t, "html_variables");
    for (std::size_t i = 0; i < declared.size(); ++i) {
      if (is_builtin(declared[i]) || declared[i].find('.') != std::string::npos) {
        error(base + "/variables/" + std::to_string(i),
              "'" + declared[i] + "' is a built-in or dotted name; declare top-level caller keys");
      }
    }
    for (std::size_t i = 0; i < html_vars.size(); ++i) {
      if (std::find(declared.begin(), declared.end(), html_vars[i]) == declared.end()) {
        error(base + "/html_variables/" + std::to_string(i),
              "'" + html_vars[i] + "' is not declared under variables");
      }
    }
    for (const char* part : {"subject", "text", "html"}) {
      if (!t.contains(part) || !t[part].is_string()) continue;
      const std::string pointer = base + "/" + part;
      const config::SourcePos node = doc_.origin_of(pointer).value;
      for (const TemplateProblem& p : check_template(t[part].get<std::string>(), declared,
                                                     html_vars, std::string(part) == "html")) {
        const config::SourcePos at = file_position(node, file_, p);
        errors_.push_back(
            {at.source, at.line, at.column, config::dotted_path(doc_.root(), pointer), p.message});
      }
    }
  }

  const config::YamlDocument& doc_;
  const std::vector<std::string> file_;
  std::vector<config::ConfigError>& errors_;
};

}  // namespace

void check_messaging_config(const config::YamlDocument& doc, const std::string& file_text,
                            std::vector<config::ConfigError>& errors) {
  SectionChecker(doc, file_text, errors).run();
}

}  // namespace reos::messaging
