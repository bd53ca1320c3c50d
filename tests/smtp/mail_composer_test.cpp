// The MIME the smtp plugin writes, read back with GMime's parser (no network).
#include "mail_composer.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <nlohmann/json.hpp>

#include "parsed_mail.hpp"

using reos::test::parse_mail;
using smtp::compose_mail;
using smtp::InvalidMessage;

namespace {

smtp::SmtpSettings settings() {
  smtp::SmtpSettings s;
  s.url = "smtp://127.0.0.1:25";
  s.from = "news@brokerage.example";
  s.from_name = "Acme Realty";
  s.message_id_domain = "brokerage.example";
  return s;
}

nlohmann::json message() {
  return {{"message_id", "0b7e6f2a-6d3c-4a53-9a55-1f3e2d4c5b6a"},
          {"tenant", "acme"},
          {"channel", "email"},
          {"to", "lead@example.com"},
          {"to_name", "Jordan Lee"},
          {"subject", "3 new listings near you"},
          {"text", "Hello Jordan,\nthree new listings match your search."},
          {"html", "<p>Hello Jordan,</p><p>three <b>new</b> listings match your search.</p>"}};
}

constexpr std::time_t kNow = 1764028800;  // 2025-11-25T00:00:00Z

// "%PDF-1.4 test\n" and every byte value 0..255 would be long; a short binary sample with
// bytes that are not text is enough to prove base64 round-trips.
const std::string kPdfBytes = std::string("%PDF-1.4\n\x00\x01\xfe\xff", 13);
const std::string kPdfBase64 = "JVBERi0xLjQKAAH+/w==";

}  // namespace

TEST(MailComposer, TextAndHtmlBecomeMultipartAlternativeInThatOrder) {
  const auto mail = parse_mail(compose_mail(message(), settings(), kNow).data);
  EXPECT_EQ(mail.structure, "multipart/alternative[text/plain,text/html]");
  EXPECT_EQ(mail.text, "Hello Jordan,\nthree new listings match your search.");
  EXPECT_EQ(mail.html, "<p>Hello Jordan,</p><p>three <b>new</b> listings match your search.</p>");
}

TEST(MailComposer, HeadersNameSenderRecipientSubjectAndAStableMessageId) {
  const auto composed = compose_mail(message(), settings(), kNow);
  const auto mail = parse_mail(composed.data);
  EXPECT_EQ(mail.from_address, "news@brokerage.example");
  EXPECT_EQ(mail.from_name, "Acme Realty");
  EXPECT_EQ(mail.to_address, "lead@example.com");
  EXPECT_EQ(mail.subject, "3 new listings near you");
  EXPECT_EQ(mail.message_id, "reos.0b7e6f2a-6d3c-4a53-9a55-1f3e2d4c5b6a@brokerage.example");
  EXPECT_EQ(composed.message_id, mail.message_id);
  EXPECT_EQ(mail.headers.at("MIME-Version"), "1.0");
  EXPECT_EQ(mail.headers.at("Date"), "Tue, 25 Nov 2025 00:00:00 +0000");
  EXPECT_EQ(mail.headers.at("X-Reos-Message-Id"), "0b7e6f2a-6d3c-4a53-9a55-1f3e2d4c5b6a");
  // A retry of the same message gets the same Message-ID, so receivers can drop duplicates.
  EXPECT_EQ(compose_mail(message(), settings(), kNow + 600).message_id, composed.message_id);
  EXPECT_EQ(composed.envelope_from, "news@brokerage.example");
  EXPECT_EQ(composed.envelope_to, "lead@example.com");
}

TEST(MailComposer, EveryLineEndsWithCrlfAndNoLineExceedsRfc5322Limit) {
  auto m = message();
  m["text"] = std::string(3000, 'x');  // one very long line must be wrapped by the encoding
  const std::string data = compose_mail(m, settings(), kNow).data;
  std::size_t start = 0;
  while (start < data.size()) {
    const auto nl = data.find('\n', start);
    ASSERT_NE(nl, std::string::npos) << "unterminated last line";
    ASSERT_GT(nl, start) << "bare LF at offset " << nl;
    EXPECT_EQ(data[nl - 1], '\r') << "bare LF at offset " << nl;
    EXPECT_LE(nl - start - 1, 998u) << "line too long at offset " << start;
    start = nl + 1;
  }
  EXPECT_EQ(parse_mail(data).text, std::string(3000, 'x'));
}

TEST(MailComposer, NonAsciiSubjectAndNamesAreEncodedAndDecodeBack) {
  auto m = message();
  m["subject"] = "Maison à vendre — 3 chambres 🏡";
  m["to_name"] = "Zoë Ångström";
  m["text"] = "Prix réduit : 450 000 €";
  m.erase("html");
  const std::string data = compose_mail(m, settings(), kNow).data;
  for (unsigned char c : data) ASSERT_LT(c, 0x80) << "8-bit byte in a 7-bit message";
  const auto mail = parse_mail(data);
  EXPECT_EQ(mail.subject, "Maison à vendre — 3 chambres 🏡");
  EXPECT_EQ(mail.text, "Prix réduit : 450 000 €");
  EXPECT_EQ(mail.structure, "text/plain");
  std::string lower = data;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const auto subject_line = lower.substr(
      lower.find("subject:"), lower.find('\r', lower.find("subject:")) - lower.find("subject:"));
  EXPECT_NE(subject_line.find("=?utf-8?"), std::string::npos) << "subject not RFC 2047 encoded";
}

TEST(MailComposer, AttachmentsWrapTheBodyInMultipartMixed) {
  auto m = message();
  m["attachments"] = {{{"filename", "CMA report.pdf"},
                       {"content_type", "application/pdf"},
                       {"content_base64", kPdfBase64}},
                      {{"filename", "listing.csv"},
                       {"content_type", "text/csv"},
                       {"content_base64", "TGlzdGluZ0tleSxQcmljZQpMMSw1MDAwMDAK"}}};
  const auto mail = parse_mail(compose_mail(m, settings(), kNow).data);
  EXPECT_EQ(mail.structure,
            "multipart/mixed[multipart/alternative[text/plain,text/html],application/pdf,text/"
            "csv]");
  ASSERT_EQ(mail.attachments.size(), 2u);
  EXPECT_EQ(mail.attachments[0].filename, "CMA report.pdf");
  EXPECT_EQ(mail.attachments[0].bytes, kPdfBytes);
  EXPECT_EQ(mail.attachments[1].filename, "listing.csv");
  EXPECT_EQ(mail.attachments[1].bytes, "ListingKey,Price\nL1,500000\n");
}

TEST(MailComposer, UnsubscribeUrlAddsOneClickListUnsubscribeHeaders) {
  auto m = message();
  EXPECT_EQ(parse_mail(compose_mail(m, settings(), kNow).data).headers.count("List-Unsubscribe"),
            0u);
  m["marketing"] = true;
  m["unsubscribe_url"] = "https://hub.example/u/abc.def";
  const auto mail = parse_mail(compose_mail(m, settings(), kNow).data);
  EXPECT_EQ(mail.headers.at("List-Unsubscribe"), "<https://hub.example/u/abc.def>");
  EXPECT_EQ(mail.headers.at("List-Unsubscribe-Post"), "List-Unsubscribe=One-Click");
}

TEST(MailComposer, HtmlOnlyIsASingleHtmlPart) {
  auto m = message();
  m.erase("text");
  EXPECT_EQ(parse_mail(compose_mail(m, settings(), kNow).data).structure, "text/html");
}

TEST(MailComposer, RefusesWhatCannotBeSentSafely) {
  const auto refused = [](nlohmann::json m, const std::string& expected) {
    try {
      compose_mail(m, settings(), kNow);
      ADD_FAILURE() << "accepted: " << m.dump();
    } catch (const InvalidMessage& e) {
      EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
    }
  };
  auto m = message();
  m["subject"] = "hi\r\nBcc: everyone@example.com";
  refused(m, "subject: must not contain line breaks");
  m = message();
  m["to"] = "lead@example.com\r\nRCPT TO:<x@y>";
  refused(m, "to:");
  m = message();
  m["to"] = "not-an-address";
  refused(m, "to: not an email address");
  m = message();
  m["template_id"] = "d-123";
  refused(m, "template_id");
  m = message();
  m.erase("text");
  m.erase("html");
  refused(m, "no body");
  m = message();
  m["channel"] = "sms";
  refused(m, "email only");
  m = message();
  m["attachments"] = {{{"filename", "a.pdf"},
                       {"content_type", "application/pdf"},
                       {"content_base64", "%%% not base64 %%%"}}};
  refused(m, "content_base64 is not base64");
  m = message();
  m["unsubscribe_url"] = "javascript:alert(1)";
  refused(m, "unsubscribe_url");
}
