// GetObject reply parsing (see the header).
#include "rets_object.hpp"

#include <stdexcept>

#include "rets_compact_parser.hpp"
#include "rets_text.hpp"

namespace rets {

namespace {

// Fills one object from a header (name lowercased).
void apply_header(RetsObject& o, const std::string& name, std::string_view value) {
  if (name == "content-id")
    o.content_id = std::string(value);
  else if (name == "object-id")
    o.object_id = std::string(value);
  else if (name == "content-type")
    o.content_type = std::string(value);
  else if (name == "content-description")
    o.description = std::string(value);
  else if (name == "location")
    o.location = std::string(value);
}

// A text/xml object is a RETS reply (an error for this ID).
void check_xml(RetsObject& o) {
  if (lower(o.content_type).find("xml") == std::string::npos) return;
  try {
    const ReplySummary r = parse_reply(o.data);
    o.reply_code = r.reply_code();
    o.reply_text = r.reply_text();
  } catch (const ParseError&) {
    return;  // an XML object that is not a RETS reply: keep it as data
  }
  if (o.reply_code != 0 || o.content_id.empty()) o.data.clear();
}

}  // namespace

std::string multipart_boundary(std::string_view content_type) {
  const std::string l = lower(content_type);
  const std::size_t at = l.find("boundary=");
  if (at == std::string::npos) return "";
  std::string_view v = content_type.substr(at + 9);
  if (!v.empty() && v.front() == '"') {
    v.remove_prefix(1);
    return std::string(v.substr(0, v.find('"')));
  }
  return std::string(trim(v.substr(0, v.find(';'))));
}

std::vector<RetsObject> parse_get_object(
    std::string_view content_type, const std::vector<std::pair<std::string, std::string>>& headers,
    std::string_view body) {
  std::vector<RetsObject> out;
  const std::string boundary = multipart_boundary(content_type);
  if (lower(content_type).rfind("multipart/", 0) != 0 || boundary.empty()) {
    RetsObject o;
    for (const auto& [name, value] : headers) apply_header(o, lower(name), trim(value));
    o.content_type = std::string(content_type);
    o.data = std::string(body);
    check_xml(o);
    out.push_back(std::move(o));
    return out;
  }
  const std::string delim = "--" + boundary;
  std::size_t at = body.find(delim);
  if (at == std::string_view::npos)
    throw std::runtime_error("GetObject: multipart body has no boundary \"" + boundary + "\"");
  while (true) {
    at += delim.size();
    if (body.substr(at, 2) == "--") return out;  // closing delimiter
    const std::size_t headers_end = body.find("\r\n\r\n", at);
    if (headers_end == std::string_view::npos)
      throw ParseError("GetObject: multipart body ends inside a part's headers (truncated)", true);
    RetsObject o;
    std::string_view head = body.substr(at, headers_end - at);
    while (!head.empty()) {
      const std::size_t nl = head.find("\r\n");
      const std::string_view line = head.substr(0, nl);
      head = nl == std::string_view::npos ? std::string_view() : head.substr(nl + 2);
      const std::size_t colon = line.find(':');
      if (colon != std::string_view::npos)
        apply_header(o, lower(trim(line.substr(0, colon))), trim(line.substr(colon + 1)));
    }
    const std::size_t data_start = headers_end + 4;
    const std::size_t next = body.find("\r\n" + delim, data_start);
    if (next == std::string_view::npos)
      throw ParseError("GetObject: multipart body ends early (no closing boundary, truncated)",
                       true);
    o.data = std::string(body.substr(data_start, next - data_start));
    check_xml(o);
    out.push_back(std::move(o));
    at = next + 2;
  }
}

}  // namespace rets
