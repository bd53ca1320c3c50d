// Streaming RETS reply parser over expat (see the header).
#include "rets_compact_parser.hpp"

#include <expat.h>

#include <cstdlib>
#include <cstring>

namespace rets {

namespace {

const char* attr(const char** attrs, const char* name) {
  for (int i = 0; attrs[i] != nullptr; i += 2)
    if (std::strcmp(attrs[i], name) == 0) return attrs[i + 1];
  return nullptr;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

long long parse_integer(const char* text, const char* what) {
  if (text == nullptr) throw ParseError(std::string(what) + " is missing", false);
  char* end = nullptr;
  const long long v = std::strtoll(text, &end, 10);
  while (end != nullptr && (*end == ' ' || *end == '\t')) ++end;
  if (end == text || *end != '\0')
    throw ParseError(std::string(what) + " is not a number: \"" + text + "\"", false);
  return v;
}

}  // namespace

char parse_delimiter(std::string_view value) {
  if (value.size() == 2 && hex_digit(value[0]) >= 0 && hex_digit(value[1]) >= 0)
    return static_cast<char>(hex_digit(value[0]) * 16 + hex_digit(value[1]));
  int v = 0;
  if (value.empty() || value.size() > 3)
    throw ParseError("DELIMITER value \"" + std::string(value) + "\" is not a character code",
                     false);
  for (char c : value) {
    if (c < '0' || c > '9')
      throw ParseError("DELIMITER value \"" + std::string(value) + "\" is not a character code",
                       false);
    v = v * 10 + (c - '0');
  }
  if (v <= 0 || v > 255) throw ParseError("DELIMITER value out of range", false);
  return static_cast<char>(v);
}

std::vector<std::string> split_compact(std::string_view line, char delimiter) {
  std::vector<std::string> out;
  if (!line.empty() && line.front() == delimiter) line.remove_prefix(1);
  if (!line.empty() && line.back() == delimiter) line.remove_suffix(1);
  std::size_t start = 0;
  while (true) {
    const std::size_t at = line.find(delimiter, start);
    if (at == std::string_view::npos) {
      out.emplace_back(line.substr(start));
      break;
    }
    out.emplace_back(line.substr(start, at - start));
    start = at + 1;
  }
  return out;
}

struct ReplyParser::Callbacks {
  static void start(void* self, const XML_Char* name, const XML_Char** attrs) {
    auto* p = static_cast<ReplyParser*>(self);
    try {
      p->start(name, attrs);
    } catch (...) {
      p->error_ = std::current_exception();
      p->fail_in_callback();
    }
  }
  static void end(void* self, const XML_Char* name) {
    auto* p = static_cast<ReplyParser*>(self);
    try {
      p->end(name);
    } catch (...) {
      p->error_ = std::current_exception();
      p->fail_in_callback();
    }
  }
  static void text(void* self, const XML_Char* data, int len) {
    static_cast<ReplyParser*>(self)->text(data, len);
  }
};

ReplyParser::ReplyParser(RowFn on_row)
    : parser_(XML_ParserCreate(nullptr)), on_row_(std::move(on_row)) {
  if (parser_ == nullptr) throw std::bad_alloc();
  auto* p = static_cast<XML_Parser>(parser_);
  XML_SetUserData(p, this);
  XML_SetElementHandler(p, &Callbacks::start, &Callbacks::end);
  XML_SetCharacterDataHandler(p, &Callbacks::text);
}

ReplyParser::~ReplyParser() {
  XML_ParserFree(static_cast<XML_Parser>(parser_));
}

void ReplyParser::fail_in_callback() {
  XML_StopParser(static_cast<XML_Parser>(parser_), XML_FALSE);
}

void ReplyParser::start(const char* name, const char** attrs) {
  if (std::strcmp(name, "RETS") == 0) {
    summary_.saw_rets = true;
    summary_.envelope_code =
        static_cast<int>(parse_integer(attr(attrs, "ReplyCode"), "RETS ReplyCode"));
    if (const char* t = attr(attrs, "ReplyText")) summary_.envelope_text = t;
  } else if (std::strcmp(name, "RETS-STATUS") == 0) {
    summary_.status_code =
        static_cast<int>(parse_integer(attr(attrs, "ReplyCode"), "RETS-STATUS ReplyCode"));
    if (const char* t = attr(attrs, "ReplyText")) summary_.status_text = t;
  } else if (std::strcmp(name, "COUNT") == 0) {
    summary_.count = parse_integer(attr(attrs, "Records"), "COUNT Records");
  } else if (std::strcmp(name, "DELIMITER") == 0) {
    const char* v = attr(attrs, "value");
    if (v == nullptr) throw ParseError("DELIMITER has no value attribute", false);
    summary_.delimiter = parse_delimiter(v);
  } else if (std::strcmp(name, "COLUMNS") == 0) {
    capture_ = Capture::columns;
    text_.clear();
  } else if (std::strcmp(name, "DATA") == 0) {
    capture_ = Capture::data;
    text_.clear();
  } else if (std::strcmp(name, "MAXROWS") == 0) {
    summary_.maxrows = true;
  } else if (std::strcmp(name, "RETS-RESPONSE") == 0) {
    capture_ = Capture::response;
    text_.clear();
  }
}

void ReplyParser::end(const char* name) {
  if (capture_ == Capture::columns && std::strcmp(name, "COLUMNS") == 0) {
    summary_.columns = split_compact(text_, summary_.delimiter);
  } else if (capture_ == Capture::data && std::strcmp(name, "DATA") == 0) {
    ++summary_.rows;
    if (on_row_) {
      values_ = split_compact(text_, summary_.delimiter);
      on_row_(summary_.columns, values_);
    }
  } else if (capture_ == Capture::response && std::strcmp(name, "RETS-RESPONSE") == 0) {
    summary_.response_text = text_;
  } else {
    return;
  }
  capture_ = Capture::none;
  text_.clear();
}

void ReplyParser::text(const char* data, int len) {
  if (capture_ == Capture::none) return;
  text_.append(data, static_cast<std::size_t>(len));
  if (text_.size() > max_buffered_) max_buffered_ = text_.size();
}

void ReplyParser::check(int status, bool final_chunk) {
  if (error_) {
    auto e = error_;
    error_ = nullptr;
    std::rethrow_exception(e);
  }
  if (status == XML_STATUS_OK) return;
  auto* p = static_cast<XML_Parser>(parser_);
  const XML_Error code = XML_GetErrorCode(p);
  // At the end of input, "no element found" / "unclosed token" mean the body stopped early.
  const bool truncated =
      final_chunk && (code == XML_ERROR_NO_ELEMENTS || code == XML_ERROR_UNCLOSED_TOKEN ||
                      code == XML_ERROR_PARTIAL_CHAR || code == XML_ERROR_UNCLOSED_CDATA_SECTION);
  throw ParseError(
      std::string(truncated ? "reply ends early (truncated XML): " : "malformed XML: ") +
          XML_ErrorString(code) + " at line " + std::to_string(XML_GetCurrentLineNumber(p)) +
          ", column " + std::to_string(XML_GetCurrentColumnNumber(p)),
      truncated);
}

void ReplyParser::feed(std::string_view chunk) {
  auto* p = static_cast<XML_Parser>(parser_);
  while (!chunk.empty()) {
    const int n = chunk.size() > (1 << 30) ? (1 << 30) : static_cast<int>(chunk.size());
    check(XML_Parse(p, chunk.data(), n, XML_FALSE), false);
    chunk.remove_prefix(static_cast<std::size_t>(n));
  }
}

void ReplyParser::finish() {
  check(XML_Parse(static_cast<XML_Parser>(parser_), "", 0, XML_TRUE), true);
  if (!summary_.saw_rets) throw ParseError("the reply has no <RETS> element", false);
}

ReplySummary parse_reply(std::string_view body) {
  ReplyParser parser;
  parser.feed(body);
  parser.finish();
  return parser.summary();
}

}  // namespace rets
