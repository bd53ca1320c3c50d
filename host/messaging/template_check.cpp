#include "messaging/template_check.hpp"

#include <algorithm>
#include <cctype>

#include "messaging/message_model.hpp"

namespace reos::messaging {
namespace {

std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

bool contains(const std::vector<std::string>& list, const std::string& name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

std::string first_segment(const std::string& name) {
  return name.substr(0, name.find('.'));
}

bool valid_name(const std::string& name) {
  if (name.empty()) return false;
  if (name == ".") return true;
  if (name.front() == '.' || name.back() == '.' || name.find("..") != std::string::npos) {
    return false;
  }
  return std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '_' || c == '-' || c == '.';
  });
}

class Checker {
 public:
  Checker(const std::string& text, const std::vector<std::string>& declared,
          const std::vector<std::string>& html_variables, bool html)
      : text_(text), declared_(declared), html_variables_(html_variables), html_(html) {}

  std::vector<TemplateProblem> run() {
    std::size_t at = 0;
    while ((at = text_.find(open_, at)) != std::string::npos) {
      if (!tag(at)) return problems_;
    }
    for (auto it = sections_.rbegin(); it != sections_.rend(); ++it) {
      report(it->position, "section '" + it->name + "' is never closed ({{/" + it->name + "}})");
    }
    return problems_;
  }

 private:
  struct Section {
    std::string name;
    std::size_t position;
  };

  void report(std::size_t position, std::string message) {
    int line = 1, column = 1;
    for (std::size_t i = 0; i < position && i < text_.size(); ++i) {
      if (text_[i] == '\n') {
        ++line;
        column = 1;
      } else if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) {
        ++column;  // columns count characters, not UTF-8 continuation bytes
      }
    }
    problems_.push_back({line, column, std::move(message)});
  }

  // Parses the tag starting at `at`; advances `at` past it. False when the rest is unreadable.
  bool tag(std::size_t& at) {
    const std::size_t start = at;
    std::size_t body_start = start + open_.size();
    std::string close = close_;
    bool triple = false;
    if (open_ == "{{" && body_start < text_.size() && text_[body_start] == '{') {
      triple = true;
      ++body_start;
      close = "}" + close_;
    }
    const std::size_t end = text_.find(close, body_start);
    if (end == std::string::npos) {
      report(start, "tag is never closed (missing '" + close + "')");
      return false;
    }
    at = end + close.size();
    std::string body = trim(text_.substr(body_start, end - body_start));
    if (triple) {
      variable(start, body, true);
      return true;
    }
    const char sigil = body.empty() ? '\0' : body[0];
    const std::string rest = body.empty() ? "" : trim(body.substr(1));
    switch (sigil) {
      case '!':
        return true;
      case '=':
        return set_delimiters(start, body);
      case '>':
        report(start, "partials ({{>" + rest + "}}) are not supported; inline the text");
        return true;
      case '#':
      case '^':
        variable(start, rest, false);
        sections_.push_back({rest, start});
        return true;
      case '/':
        if (sections_.empty() || sections_.back().name != rest) {
          report(start,
                 "closing tag '" + rest + "' does not match " +
                     (sections_.empty() ? std::string("any open section")
                                        : "the open section '" + sections_.back().name + "'"));
        } else {
          sections_.pop_back();
        }
        return true;
      case '&':
        variable(start, rest, true);
        return true;
      default:
        variable(start, body, false);
        return true;
    }
  }

  bool set_delimiters(std::size_t start, const std::string& body) {
    const std::string inner = body.size() >= 2 && body.back() == '='
                                  ? trim(body.substr(1, body.size() - 2))
                                  : std::string();
    const auto space = inner.find_first_of(" \t");
    if (space == std::string::npos) {
      report(start, "malformed delimiter change; expected {{=<open> <close>=}}");
      return false;
    }
    open_ = inner.substr(0, space);
    close_ = trim(inner.substr(space));
    return true;
  }

  // Inside a section over caller data the item's shape is the caller's: names are not checked.
  bool known(const std::string& name) const {
    for (const Section& s : sections_) {
      if (contains(declared_, first_segment(s.name))) return true;
    }
    if (name == ".") return !sections_.empty();
    if (contains(declared_, first_segment(name)) || is_builtin(name)) return true;
    for (const Section& s : sections_) {  // relative to an enclosing built-in object
      if (is_builtin(s.name) && is_builtin(s.name + "." + name)) return true;
    }
    return false;
  }

  void variable(std::size_t start, const std::string& name, bool unescaped) {
    if (!valid_name(name)) {
      report(start, "malformed tag name '" + name + "'");
      return;
    }
    if (!known(name)) {
      report(start, "unknown variable '" + name +
                        "': not in the message model (contact.*, recipient.*, tenant.*, "
                        "sender.*, message.*, unsubscribe_url) nor declared under variables");
      return;
    }
    if (html_ && unescaped && !contains(html_variables_, first_segment(name))) {
      report(start, "unescaped variable '" + name + "' in HTML: use {{" + name +
                        "}} or list it under html_variables");
    }
  }

  const std::string& text_;
  const std::vector<std::string>& declared_;
  const std::vector<std::string>& html_variables_;
  const bool html_;
  std::string open_ = "{{";
  std::string close_ = "}}";
  std::vector<Section> sections_;
  std::vector<TemplateProblem> problems_;
};

}  // namespace

std::vector<TemplateProblem> check_template(const std::string& text,
                                            const std::vector<std::string>& declared,
                                            const std::vector<std::string>& html_variables,
                                            bool html) {
  return Checker(text, declared, html_variables, html).run();
}

}  // namespace reos::messaging
