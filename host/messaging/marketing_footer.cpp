#include "messaging/marketing_footer.hpp"

#include "messaging/message_render.hpp"

namespace reos::messaging {

std::string html_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

void add_email_footer(RenderedContent& content, const std::string& postal_address,
                      const std::string& unsubscribe_url) {
  if (!content.text.empty() || content.html.empty()) {
    content.text += "\n\n--\n" + postal_address + "\nUnsubscribe: " + unsubscribe_url + "\n";
  }
  if (content.html.empty()) return;
  std::string address_html;
  for (const char c : html_escape(postal_address))
    address_html += c == '\n' ? "<br>" : std::string(1, c);
  const std::string footer = "<hr><p class=\"reos-footer\" style=\"font-size:12px;color:#666\">" +
                             address_html + "<br><a href=\"" + html_escape(unsubscribe_url) +
                             "\">Unsubscribe</a></p>";
  const auto body_end = content.html.rfind("</body>");
  if (body_end == std::string::npos) {
    content.html += footer;
  } else {
    content.html.insert(body_end, footer);
  }
}

std::string with_sms_opt_out(const std::string& body) {
  if (body.find("STOP") != std::string::npos) return body;
  return body + (body.empty() || body.back() == ' ' ? "" : " ") + "Reply STOP to opt out.";
}

}  // namespace reos::messaging
