// rets_compact_parser.hpp — a streaming (expat SAX) parser of RETS replies: the <RETS>
// envelope and its ReplyCode/ReplyText, a <RETS-STATUS> child that overrides it, COUNT,
// DELIMITER (two hex digits per RETS 1.7.2 §13.3.1; decimal tolerated), COLUMNS, DATA rows
// (COMPACT and COMPACT-DECODED, leading/trailing delimiter stripped), MAXROWS and the text of
// <RETS-RESPONSE> (Login capabilities). Feed the body in chunks of any size; each DATA row is
// handed to the row callback as soon as its end tag is seen and then forgotten, so memory is
// bounded by the longest single row, not by the reply.
#pragma once

#include <cstddef>
#include <exception>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace rets {

/// The XML is malformed (`truncated` false) or ends before the document does (`truncated`).
class ParseError : public std::runtime_error {
 public:
  ParseError(const std::string& message, bool truncated)
      : std::runtime_error(message), truncated_(truncated) {}
  bool truncated() const noexcept { return truncated_; }

 private:
  bool truncated_;
};

/// Everything in a reply except the rows themselves.
struct ReplySummary {
  bool saw_rets = false;           ///< a <RETS> root element was seen
  int envelope_code = -1;          ///< <RETS ReplyCode>
  std::string envelope_text;       ///< <RETS ReplyText>
  std::optional<int> status_code;  ///< <RETS-STATUS ReplyCode>, when present
  std::string status_text;
  std::optional<long long> count;  ///< <COUNT Records>
  char delimiter = '\t';           ///< from <DELIMITER value>
  std::vector<std::string> columns;
  std::size_t rows = 0;       ///< DATA rows seen
  bool maxrows = false;       ///< <MAXROWS/> present: more rows exist
  std::string response_text;  ///< the text of <RETS-RESPONSE>

  /// The reply code that counts: a RETS-STATUS child overrides an envelope 0.
  int reply_code() const {
    return status_code && envelope_code == 0 ? *status_code : envelope_code;
  }
  const std::string& reply_text() const {
    return status_code && envelope_code == 0 ? status_text : envelope_text;
  }
};

/// Parses a DELIMITER value: two hex digits ("09" = tab, "2C" = ','), else a decimal
/// number ("9"). Throws ParseError for anything else.
char parse_delimiter(std::string_view value);

/// Splits a COLUMNS/DATA line on `delimiter`, dropping one leading and one trailing
/// delimiter (RETS surrounds the fields with them).
std::vector<std::string> split_compact(std::string_view line, char delimiter);

class ReplyParser {
 public:
  /// Called once per DATA row with the COLUMNS seen so far and the row's values. May throw:
  /// the exception stops the parse and leaves feed()/finish().
  using RowFn = std::function<void(const std::vector<std::string>& columns,
                                   std::vector<std::string>& values)>;

  explicit ReplyParser(RowFn on_row = nullptr);
  ~ReplyParser();
  ReplyParser(const ReplyParser&) = delete;
  ReplyParser& operator=(const ReplyParser&) = delete;

  /// Parses the next chunk. Throws ParseError on malformed XML or a bad attribute.
  void feed(std::string_view chunk);
  /// Ends the document. Throws ParseError(truncated) when it ended early or had no <RETS>.
  void finish();

  const ReplySummary& summary() const noexcept { return summary_; }
  /// Bytes of element text held right now, and the most ever held (bounded by one row).
  std::size_t buffered_bytes() const noexcept { return text_.size(); }
  std::size_t max_buffered_bytes() const noexcept { return max_buffered_; }

 private:
  struct Callbacks;
  void start(const char* name, const char** attrs);
  void end(const char* name);
  void text(const char* data, int len);
  void fail_in_callback();
  void check(int status, bool final_chunk);

  void* parser_;  // XML_Parser
  RowFn on_row_;
  ReplySummary summary_;
  enum class Capture { none, columns, data, response } capture_ = Capture::none;
  std::string text_;
  std::size_t max_buffered_ = 0;
  std::vector<std::string> values_;
  std::exception_ptr error_;
};

/// Parses a whole reply held in memory (small replies: Login, Logout, errors).
ReplySummary parse_reply(std::string_view body);

}  // namespace rets
