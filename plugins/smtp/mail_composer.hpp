#pragma once

// Turns one host message (schemas/message.json) into an RFC 5322 message with correct MIME,
// built with GMime: multipart/alternative for text + HTML, multipart/mixed around it for
// attachments, RFC 2047 encoded headers, a Message-ID derived from our message id (stable
// across retries, so a receiver can drop a duplicate), and List-Unsubscribe with
// List-Unsubscribe-Post: List-Unsubscribe=One-Click (RFC 8058) when the host gives an
// unsubscribe URL.

#include <ctime>
#include <nlohmann/json_fwd.hpp>
#include <stdexcept>
#include <string>

#include "smtp_settings.hpp"

namespace smtp {

/// The message is unusable as given (missing recipient, header injection, bad base64, a
/// provider template id): a permanent error, never retried.
class InvalidMessage : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

struct ComposedMail {
  std::string envelope_from;  ///< MAIL FROM
  std::string envelope_to;    ///< RCPT TO
  std::string message_id;     ///< without the angle brackets
  std::string data;           ///< the whole message, CRLF line endings, ready for DATA
};

/// Composes `message` (already validated against schemas/message.json by the host) for
/// sending with `settings`' sender. `now` is the Date header. Throws InvalidMessage.
ComposedMail compose_mail(const nlohmann::json& message, const SmtpSettings& settings,
                          std::time_t now);

}  // namespace smtp
