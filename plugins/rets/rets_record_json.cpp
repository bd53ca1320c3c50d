#include "rets_record_json.hpp"

namespace rets {

void append_json_string(std::string& out, std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  out += '"';
  std::size_t run = 0;  // start of the bytes that need no escaping, appended in one go
  for (std::size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
    }
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

const std::string& RowJsonWriter::write(const std::vector<std::string>& columns,
                                        const std::vector<std::string>& values) {
  if (columns != columns_) {
    columns_ = columns;
    prefixes_.assign(columns.size(), std::string());
    for (std::size_t i = 0; i < columns.size(); ++i) {
      bool repeated = false;
      for (std::size_t j = i + 1; j < columns.size() && !repeated; ++j)
        repeated = columns[j] == columns[i];
      if (repeated) continue;
      append_json_string(prefixes_[i], columns[i]);
      prefixes_[i] += ':';
    }
  }
  out_.clear();
  out_ += '{';
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (prefixes_[i].empty()) continue;
    if (out_.size() > 1) out_ += ',';
    out_ += prefixes_[i];
    append_json_string(out_, values[i]);
  }
  out_ += '}';
  return out_;
}

}  // namespace rets
