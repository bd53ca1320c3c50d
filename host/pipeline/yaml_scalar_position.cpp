#include "pipeline/yaml_scalar_position.hpp"

#include <cctype>

namespace reos::pipeline {
namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r';
}

std::size_t line_start(std::string_view text, int line) {
  std::size_t at = 0;
  for (int l = 1; l < line; ++l) {
    at = text.find('\n', at);
    if (at == std::string_view::npos) return text.size();
    ++at;
  }
  return at;
}

config::SourcePos position_of(std::string_view text, const config::SourcePos& start,
                              std::size_t index) {
  config::SourcePos pos = start;
  pos.line = 1;
  std::size_t line_begin = 0;
  for (std::size_t i = 0; i < index && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++pos.line;
      line_begin = i + 1;
    }
  }
  pos.column = static_cast<int>(index - line_begin) + 1;
  return pos;
}

std::size_t utf8_length(unsigned long code_point) {
  if (code_point < 0x80) return 1;
  if (code_point < 0x800) return 2;
  if (code_point < 0x10000) return 3;
  return 4;
}

// Walks a flow scalar (plain or quoted) from `i`, counting value bytes, until `offset` is reached.
std::size_t walk_flow(std::string_view text, std::size_t i, char quote, std::size_t offset) {
  std::size_t value = 0;
  while (i < text.size()) {
    if (value >= offset) return i;
    const char c = text[i];
    if (quote != 0 && c == quote) {
      if (quote == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
        i += 2;
        ++value;
        continue;
      }
      return i;  // the closing quote
    }
    if (quote == '"' && c == '\\' && i + 1 < text.size()) {
      const char escape = text[i + 1];
      if (escape == '\n' || escape == '\r') {  // an escaped line break joins the lines
        i += 2;
        while (i < text.size() && (is_blank(text[i]) || text[i] == '\n')) ++i;
        continue;
      }
      if (escape == 'x') {
        i += 4;
        value += 1;
      } else if (escape == 'u' || escape == 'U') {
        const std::size_t digits = escape == 'u' ? 4 : 8;
        unsigned long code = 0;
        for (std::size_t k = i + 2; k < i + 2 + digits && k < text.size(); ++k) {
          code =
              code * 16 + static_cast<unsigned long>(
                              std::isxdigit(static_cast<unsigned char>(text[k]))
                                  ? (text[k] <= '9' ? text[k] - '0' : (text[k] | 0x20) - 'a' + 10)
                                  : 0);
        }
        i += 2 + digits;
        value += utf8_length(code);
      } else {
        i += 2;
        value += 1;
      }
      continue;
    }
    if (is_blank(c) || c == '\n') {
      // Folding: blanks around line breaks collapse; one break is a space, n breaks n-1 newlines.
      std::size_t end = i;
      std::size_t breaks = 0;
      while (end < text.size() && (is_blank(text[end]) || text[end] == '\n')) {
        breaks += text[end] == '\n';
        ++end;
      }
      if (breaks > 0) {
        value += breaks == 1 ? 1 : breaks - 1;
        i = end;
        continue;
      }
    }
    if (quote == 0 && c == '#' && i > 0 && is_blank(text[i - 1])) return i;  // a comment
    ++i;
    ++value;
  }
  return i;
}

std::size_t walk_block(std::string_view text, std::size_t header, std::size_t offset) {
  std::size_t line = text.find('\n', header);
  if (line == std::string_view::npos) return text.size();
  ++line;
  // Indentation of the first non-empty content line.
  std::size_t indent = 0;
  for (std::size_t probe = line; probe < text.size();) {
    std::size_t spaces = 0;
    while (probe + spaces < text.size() && text[probe + spaces] == ' ') ++spaces;
    if (probe + spaces < text.size() && text[probe + spaces] != '\n') {
      indent = spaces;
      break;
    }
    const std::size_t next = text.find('\n', probe);
    if (next == std::string_view::npos) break;
    probe = next + 1;
  }
  std::size_t value = 0;
  while (line < text.size()) {
    std::size_t end = text.find('\n', line);
    if (end == std::string_view::npos) end = text.size();
    const std::size_t length = end - line > indent ? end - line - indent : 0;
    if (offset <= value + length) return line + indent + (offset - value);
    value += length + 1;
    line = end + 1;
  }
  return text.size();
}

}  // namespace

config::SourcePos position_in_scalar(std::string_view text, const config::SourcePos& start,
                                     std::size_t offset) {
  if (start.line <= 0) return start;
  const std::size_t begin =
      line_start(text, start.line) + static_cast<std::size_t>(start.column - 1);
  if (begin >= text.size()) return start;
  const char first = text[begin];
  std::size_t at = 0;
  if (first == '\'' || first == '"') {
    at = walk_flow(text, begin + 1, first, offset);
  } else if (first == '|' || first == '>') {
    at = walk_block(text, begin, offset);
  } else {
    at = walk_flow(text, begin, 0, offset);
  }
  return position_of(text, start, at);
}

}  // namespace reos::pipeline
