#include "parsed_mail.hpp"

#include <gmime/gmime.h>

#include <memory>
#include <mutex>
#include <stdexcept>

namespace reos::test {
namespace {

struct Unref {
  void operator()(gpointer p) const noexcept {
    if (p) g_object_unref(p);
  }
};
struct GFree {
  void operator()(void* p) const noexcept { g_free(p); }
};

std::string decoded_content(GMimePart* part) {
  GMimeDataWrapper* content = g_mime_part_get_content(part);
  if (!content) return "";
  std::unique_ptr<GMimeStream, Unref> out(g_mime_stream_mem_new());
  g_mime_data_wrapper_write_to_stream(content, out.get());
  GByteArray* bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out.get()));
  return std::string(reinterpret_cast<const char*>(bytes->data), bytes->len);
}

std::string mime_type(GMimeObject* o) {
  GMimeContentType* t = g_mime_object_get_content_type(o);
  return std::string(g_mime_content_type_get_media_type(t)) + "/" +
         g_mime_content_type_get_media_subtype(t);
}

/// Text parts travel with CRLF line ends; clients show them as lines, so compare as "\n".
/// A quoted-printable encoder ends the part with a line break of its own, which a client
/// does not show either, so one trailing "\n" is dropped.
std::string lines_of(const char* text) {
  std::string out = text ? text : "";
  std::string::size_type at = 0;
  while ((at = out.find("\r\n", at)) != std::string::npos) out.erase(at, 1);
  if (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

void walk(GMimeObject* o, ParsedMail& mail) {
  const std::string type = mime_type(o);
  if (GMIME_IS_MULTIPART(o)) {
    mail.structure += type + "[";
    GMimeMultipart* mp = GMIME_MULTIPART(o);
    for (int i = 0; i < g_mime_multipart_get_count(mp); ++i) {
      if (i) mail.structure += ",";
      walk(g_mime_multipart_get_part(mp, i), mail);
    }
    mail.structure += "]";
    return;
  }
  mail.structure += type;
  if (!GMIME_IS_PART(o)) return;
  GMimePart* part = GMIME_PART(o);
  if (g_mime_part_is_attachment(part)) {
    const char* name = g_mime_part_get_filename(part);
    mail.attachments.push_back({name ? name : "", type, decoded_content(part)});
  } else if (GMIME_IS_TEXT_PART(o) && type == "text/plain") {
    std::unique_ptr<char, GFree> text(g_mime_text_part_get_text(GMIME_TEXT_PART(o)));
    mail.text = lines_of(text.get());
  } else if (GMIME_IS_TEXT_PART(o) && type == "text/html") {
    std::unique_ptr<char, GFree> text(g_mime_text_part_get_text(GMIME_TEXT_PART(o)));
    mail.html = lines_of(text.get());
  }
}

std::string mailbox(InternetAddressList* list, bool want_name) {
  if (!list || internet_address_list_length(list) == 0) return "";
  InternetAddress* a = internet_address_list_get_address(list, 0);
  if (want_name) {
    const char* n = internet_address_get_name(a);
    return n ? n : "";
  }
  if (!INTERNET_ADDRESS_IS_MAILBOX(a)) return "";
  return internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a));
}

}  // namespace

ParsedMail parse_mail(const std::string& raw) {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
  std::unique_ptr<GMimeStream, Unref> stream(
      g_mime_stream_mem_new_with_buffer(raw.data(), raw.size()));
  std::unique_ptr<GMimeParser, Unref> parser(g_mime_parser_new_with_stream(stream.get()));
  std::unique_ptr<GMimeMessage, Unref> msg(g_mime_parser_construct_message(parser.get(), nullptr));
  if (!msg) throw std::runtime_error("GMime could not parse the message");
  ParsedMail mail;
  mail.from_address = mailbox(g_mime_message_get_from(msg.get()), false);
  mail.from_name = mailbox(g_mime_message_get_from(msg.get()), true);
  mail.to_address = mailbox(g_mime_message_get_to(msg.get()), false);
  const char* subject = g_mime_message_get_subject(msg.get());
  mail.subject = subject ? subject : "";
  const char* id = g_mime_message_get_message_id(msg.get());
  mail.message_id = id ? id : "";
  GMimeHeaderList* headers = g_mime_object_get_header_list(GMIME_OBJECT(msg.get()));
  for (int i = 0; i < g_mime_header_list_get_count(headers); ++i) {
    GMimeHeader* h = g_mime_header_list_get_header_at(headers, i);
    const char* value = g_mime_header_get_raw_value(h);
    std::string v = value ? value : "";
    while (!v.empty() && (v.back() == '\n' || v.back() == '\r' || v.back() == ' ')) v.pop_back();
    while (!v.empty() && v.front() == ' ') v.erase(v.begin());
    mail.headers.emplace(g_mime_header_get_name(h), v);
  }
  walk(g_mime_message_get_mime_part(msg.get()), mail);
  return mail;
}

}  // namespace reos::test
