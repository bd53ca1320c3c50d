#pragma once

// Reads a delivered RFC 5322 message back with GMime's parser, so the tests check what a
// mail client would see rather than the bytes our composer meant to write.

#include <map>
#include <string>
#include <vector>

namespace reos::test {

struct ParsedAttachment {
  std::string filename;
  std::string content_type;  ///< "application/pdf"
  std::string bytes;         ///< decoded content
};

struct ParsedMail {
  /// The MIME tree, e.g. "multipart/mixed[multipart/alternative[text/plain,text/html],
  /// application/pdf]".
  std::string structure;
  std::string from_address, from_name, to_address, subject, message_id;  ///< decoded
  std::string text, html;  ///< decoded bodies (utf-8); "" when absent
  std::vector<ParsedAttachment> attachments;
  /// Raw header values by name (first occurrence), e.g. "List-Unsubscribe-Post".
  std::map<std::string, std::string> headers;
};

/// Parses `raw`; throws std::runtime_error when GMime cannot make a message of it.
ParsedMail parse_mail(const std::string& raw);

}  // namespace reos::test
