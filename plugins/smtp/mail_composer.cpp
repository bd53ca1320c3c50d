#include "mail_composer.hpp"

#include <gmime/gmime.h>

#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

namespace smtp {
namespace {

/// GObject references, released with g_object_unref.
struct GObjectUnref {
  void operator()(gpointer p) const noexcept {
    if (p) g_object_unref(p);
  }
};
template <typename T>
using GPtr = std::unique_ptr<T, GObjectUnref>;

struct FormatOptionsFree {
  void operator()(GMimeFormatOptions* p) const noexcept { g_mime_format_options_free(p); }
};
struct GFree {
  void operator()(void* p) const noexcept { g_free(p); }
};

void init_gmime_once() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

/// Header values must not smuggle extra header lines.
void check_header_value(const char* field, const std::string& v) {
  if (v.find_first_of("\r\n") != std::string::npos)
    throw InvalidMessage(std::string(field) + ": must not contain line breaks");
}

void check_address(const char* field, const std::string& a) {
  check_header_value(field, a);
  const auto at = a.find('@');
  if (a.empty() || at == 0 || at == std::string::npos || at + 1 == a.size() ||
      a.find_first_of(" <>,;\"") != std::string::npos || a.find('@', at + 1) != std::string::npos)
    throw InvalidMessage(std::string(field) + ": not an email address: '" + a + "'");
}

std::string text_field(const nlohmann::json& m, const char* key) {
  const auto it = m.find(key);
  if (it == m.end() || it->is_null()) return "";
  if (!it->is_string()) throw InvalidMessage(std::string(key) + ": expected a string");
  return it->get<std::string>();
}

/// 7bit when the text is ASCII in SMTP-sized lines (readable in any client's source view),
/// quoted-printable otherwise: 8-bit bytes or a line over RFC 5322's 998 characters.
GMimeContentEncoding text_encoding(const std::string& body) {
  std::size_t line = 0;
  for (unsigned char c : body) {
    if (c >= 0x80 || c == 0) return GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE;
    line = (c == '\n') ? 0 : line + 1;
    if (line > 998) return GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE;
  }
  return GMIME_CONTENT_ENCODING_7BIT;
}

GPtr<GMimeObject> text_part(const char* subtype, const std::string& body) {
  GPtr<GMimeTextPart> part(g_mime_text_part_new_with_subtype(subtype));
  g_mime_text_part_set_text(part.get(), body.c_str());  // picks us-ascii or utf-8
  g_mime_part_set_content_encoding(GMIME_PART(part.get()), text_encoding(body));
  return GPtr<GMimeObject>(GMIME_OBJECT(part.release()));
}

std::string decode_base64(const std::string& name, const std::string& b64) {
  for (char c : b64) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '+' || c == '/' || c == '=' || c == '\r' || c == '\n';
    if (!ok) throw InvalidMessage("attachments: '" + name + "': content_base64 is not base64");
  }
  gsize len = 0;
  std::unique_ptr<guchar, GFree> raw(g_base64_decode(b64.c_str(), &len));
  return std::string(reinterpret_cast<const char*>(raw.get()), len);
}

GPtr<GMimeObject> attachment_part(const nlohmann::json& a) {
  const std::string name = text_field(a, "filename");
  const std::string type = text_field(a, "content_type");
  check_header_value("attachments.filename", name);
  const auto slash = type.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == type.size())
    throw InvalidMessage("attachments: '" + name + "': content_type must be type/subtype");
  check_header_value("attachments.content_type", type);
  const std::string bytes = decode_base64(name, text_field(a, "content_base64"));

  GPtr<GMimePart> part(
      g_mime_part_new_with_type(type.substr(0, slash).c_str(), type.substr(slash + 1).c_str()));
  g_mime_part_set_filename(part.get(), name.c_str());  // Content-Disposition: attachment
  GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(bytes.data(), bytes.size()));
  GPtr<GMimeDataWrapper> content(
      g_mime_data_wrapper_new_with_stream(stream.get(), GMIME_CONTENT_ENCODING_DEFAULT));
  g_mime_part_set_content(part.get(), content.get());
  g_mime_part_set_content_encoding(part.get(), GMIME_CONTENT_ENCODING_BASE64);
  return GPtr<GMimeObject>(GMIME_OBJECT(part.release()));
}

GPtr<GMimeObject> multipart(const char* subtype, std::vector<GPtr<GMimeObject>> parts) {
  GPtr<GMimeMultipart> mp(g_mime_multipart_new_with_subtype(subtype));
  for (auto& p : parts) g_mime_multipart_add(mp.get(), p.get());  // adds its own reference
  return GPtr<GMimeObject>(GMIME_OBJECT(mp.release()));
}

GPtr<GMimeObject> body_of(const std::string& text, const std::string& html) {
  if (!text.empty() && !html.empty()) {
    std::vector<GPtr<GMimeObject>> alternatives;
    alternatives.push_back(text_part("plain", text));  // least preferred first (RFC 2046)
    alternatives.push_back(text_part("html", html));
    return multipart("alternative", std::move(alternatives));
  }
  if (!html.empty()) return text_part("html", html);
  return text_part("plain", text);
}

}  // namespace

ComposedMail compose_mail(const nlohmann::json& m, const SmtpSettings& settings, std::time_t now) {
  init_gmime_once();
  if (!m.is_object()) throw InvalidMessage("message: expected a JSON object");
  if (text_field(m, "channel") != "email")
    throw InvalidMessage("channel: the smtp plugin sends email only");
  if (!text_field(m, "template_id").empty())
    throw InvalidMessage(
        "template_id: SMTP has no provider-side templates; the host renders templates into "
        "subject/text/html");
  ComposedMail out;
  const std::string message_id = text_field(m, "message_id");
  if (message_id.empty()) throw InvalidMessage("message_id: required");
  if (message_id.find_first_not_of("0123456789abcdefABCDEF-") != std::string::npos)
    throw InvalidMessage("message_id: expected a uuid");
  const std::string to = text_field(m, "to");
  check_address("to", to);
  std::string from = text_field(m, "from");
  if (from.empty()) from = settings.from;
  check_address("from", from);
  std::string from_name = text_field(m, "from_name");
  if (from_name.empty()) from_name = settings.from_name;
  const std::string to_name = text_field(m, "to_name");
  const std::string reply_to = text_field(m, "reply_to");
  const std::string subject = text_field(m, "subject");
  const std::string text = text_field(m, "text");
  const std::string html = text_field(m, "html");
  const std::string unsubscribe = text_field(m, "unsubscribe_url");
  for (const auto& [field, value] :
       {std::pair<const char*, const std::string&>{"from_name", from_name},
        {"to_name", to_name},
        {"subject", subject},
        {"unsubscribe_url", unsubscribe}})
    check_header_value(field, value);
  if (!reply_to.empty()) check_address("reply_to", reply_to);
  if (text.empty() && html.empty()) throw InvalidMessage("text/html: the message has no body");
  if (!unsubscribe.empty() && unsubscribe.rfind("https://", 0) != 0 &&
      unsubscribe.rfind("http://", 0) != 0)
    throw InvalidMessage("unsubscribe_url: expected an http(s) URL");

  GPtr<GMimeMessage> msg(g_mime_message_new(TRUE));
  g_mime_message_add_mailbox(msg.get(), GMIME_ADDRESS_TYPE_FROM, from_name.c_str(), from.c_str());
  g_mime_message_add_mailbox(msg.get(), GMIME_ADDRESS_TYPE_TO, to_name.c_str(), to.c_str());
  if (!reply_to.empty())
    g_mime_message_add_mailbox(msg.get(), GMIME_ADDRESS_TYPE_REPLY_TO, "", reply_to.c_str());
  g_mime_message_set_subject(msg.get(), subject.c_str(), "utf-8");
  GDateTime* date = g_date_time_new_from_unix_utc(static_cast<gint64>(now));
  g_mime_message_set_date(msg.get(), date);
  g_date_time_unref(date);
  out.message_id = "reos." + message_id + "@" + settings.message_id_domain;
  g_mime_message_set_message_id(msg.get(), out.message_id.c_str());

  GMimeObject* top = GMIME_OBJECT(msg.get());
  g_mime_object_set_header(top, "X-Reos-Message-Id", message_id.c_str(), nullptr);
  if (!unsubscribe.empty()) {
    const std::string value = "<" + unsubscribe + ">";
    g_mime_object_set_header(top, "List-Unsubscribe", value.c_str(), nullptr);
    g_mime_object_set_header(top, "List-Unsubscribe-Post", "List-Unsubscribe=One-Click", nullptr);
  }

  GPtr<GMimeObject> body = body_of(text, html);
  const auto attachments = m.find("attachments");
  if (attachments != m.end() && attachments->is_array() && !attachments->empty()) {
    std::vector<GPtr<GMimeObject>> parts;
    parts.push_back(std::move(body));
    for (const auto& a : *attachments) parts.push_back(attachment_part(a));
    body = multipart("mixed", std::move(parts));
  }
  g_mime_message_set_mime_part(msg.get(), body.get());
  std::unique_ptr<GMimeFormatOptions, FormatOptionsFree> format(g_mime_format_options_new());
  g_mime_format_options_set_newline_format(format.get(), GMIME_NEWLINE_FORMAT_DOS);
  std::unique_ptr<char, GFree> rendered(g_mime_object_to_string(top, format.get()));
  out.data = rendered.get();
  out.envelope_from = from;
  out.envelope_to = to;
  return out;
}

}  // namespace smtp
