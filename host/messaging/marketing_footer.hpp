#pragma once

// What every marketing message carries (docs/messaging.md, "Marketing"): for email the
// tenant's postal address and an unsubscribe link (CAN-SPAM, 15 U.S.C. 7704(a)(5)) in both the
// text and the HTML part; for SMS an opt-out instruction (CTIA) unless the body has one.

#include <string>

namespace reos::messaging {

struct RenderedContent;

/// Appends the footer to the text part (when present) and the HTML part (before </body> when
/// it has one, else at the end), HTML-escaping the address and link there.
void add_email_footer(RenderedContent& content, const std::string& postal_address,
                      const std::string& unsubscribe_url);

/// Appends " Reply STOP to opt out." unless the body already mentions STOP.
std::string with_sms_opt_out(const std::string& body);

/// HTML-escapes & < > " ' (the same set mustache escapes).
std::string html_escape(const std::string& text);

}  // namespace reos::messaging
