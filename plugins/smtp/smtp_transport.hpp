#pragma once

// Hands a composed message to an SMTP server with libcurl (EHLO, STARTTLS, AUTH, MAIL FROM,
// RCPT TO, DATA) and classifies the outcome the way SMTP means it: 4xx and connection
// trouble are temporary (retry later), 5xx and configuration faults are permanent.

#include <string>

#include "mail_composer.hpp"
#include "smtp_settings.hpp"

namespace smtp {

struct SendOutcome {
  enum class Kind { sent, temporary, permanent };
  Kind kind = Kind::permanent;
  long smtp_code = 0;  ///< the last reply code from the server, 0 when none
  std::string reply;   ///< the server's last reply line(s), e.g. "250 2.0.0 Ok: queued as X"
  std::string detail;  ///< what went wrong, for operators (never the password)
};

/// Sends `mail` with `settings`. Never throws for network or protocol failures.
SendOutcome send_mail(const ComposedMail& mail, const SmtpSettings& settings);

}  // namespace smtp
