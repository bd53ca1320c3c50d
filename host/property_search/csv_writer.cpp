#include "property_search/csv_writer.hpp"

namespace reos::property_search {

std::string csv_field(const std::optional<std::string>& value, bool guard_formula) {
  if (!value) return "";
  std::string text = *value;
  if (guard_formula && !text.empty() &&
      std::string("=+-@\t\r").find(text[0]) != std::string::npos) {
    text.insert(0, "'");
  }
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (const char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

void append_csv_record(std::string& out, const std::vector<std::string>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += ',';
    out += fields[i];
  }
  out += "\r\n";
}

}  // namespace reos::property_search
