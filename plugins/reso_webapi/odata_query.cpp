// Replication URLs (see the header).
#include "odata_query.hpp"

namespace reso {

std::string percent_encode(std::string_view text) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() + text.size() / 2);
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string string_literal(std::string_view text) {
  std::string out = "'";
  for (const char c : text) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

std::string replication_filter(const Settings& s, const std::optional<Position>& after) {
  std::string cursor;
  if (after) {
    const std::string& ts = s.timestamp_field;
    cursor = ts + " gt " + after->timestamp + " or (" + ts + " eq " + after->timestamp + " and " +
             s.key_field + " gt " + string_literal(after->key) + ")";
  }
  if (s.filter.empty()) return cursor;
  if (cursor.empty()) return s.filter;
  return "(" + s.filter + ") and (" + cursor + ")";
}

namespace {

std::string select_list(const Settings& s) {
  if (s.select.empty()) return "";
  std::string out = s.select;
  auto has = [&](const std::string& field) {
    std::size_t start = 0;
    while (start <= out.size()) {
      std::size_t comma = out.find(',', start);
      if (comma == std::string::npos) comma = out.size();
      std::string item = out.substr(start, comma - start);
      while (!item.empty() && item.front() == ' ') item.erase(0, 1);
      while (!item.empty() && item.back() == ' ') item.pop_back();
      if (item == field) return true;
      start = comma + 1;
    }
    return false;
  };
  if (!has(s.key_field)) out += "," + s.key_field;
  if (!has(s.timestamp_field)) out += "," + s.timestamp_field;
  return out;
}

}  // namespace

std::string page_url(const Settings& s, const std::optional<Position>& after, bool with_count) {
  std::string url = s.base_url + "/" + s.resource + "?";
  const std::string filter = replication_filter(s, after);
  if (!filter.empty()) url += "$filter=" + percent_encode(filter) + "&";
  url += "$orderby=" + percent_encode(s.timestamp_field + " asc," + s.key_field + " asc");
  url += "&$top=" + std::to_string(s.page_size);
  const std::string select = select_list(s);
  if (!select.empty()) url += "&$select=" + percent_encode(select);
  if (!s.expand.empty()) url += "&$expand=" + percent_encode(s.expand);
  if (with_count) url += "&$count=true";
  return url;
}

std::string metadata_url(const Settings& s) {
  return s.base_url + "/$metadata";
}

}  // namespace reso
