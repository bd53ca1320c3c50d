// Templates (escaping, the variable check with positions) and SMS measurement.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "messaging/message_render.hpp"
#include "messaging/sms_segments.hpp"
#include "messaging/template_check.hpp"

namespace reos::test {
namespace {

using messaging::check_template;
using messaging::measure_sms;
using nlohmann::json;

TEST(TemplateRender, HtmlEscapesDoubleBracesOnlyAndTextEscapesNothing) {
  const json model = {{"name", "<script>alert('x')</script> & \"co\""}};
  EXPECT_EQ(messaging::render_mustache("<p>{{name}}</p>", model, true),
            "<p>&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; &amp; &quot;co&quot;</p>");
  EXPECT_EQ(messaging::render_mustache("<p>{{{name}}}</p>", model, true),
            "<p><script>alert('x')</script> & \"co\"</p>");
  EXPECT_EQ(messaging::render_mustache("Hi {{name}}", model, false),
            "Hi <script>alert('x')</script> & \"co\"");
}

TEST(TemplateRender, SectionsListsAndDottedNamesRender) {
  const json model = {{"contact", {{"first_name", "Ann"}}},
                      {"homes", json::array({{{"street", "Elm"}}, {{"street", "Oak"}}})},
                      {"price", 500000}};
  EXPECT_EQ(
      messaging::render_mustache(
          "{{contact.first_name}}:{{#homes}} {{street}}{{/homes}} {{price}}{{^none}}!{{/none}}",
          model, false),
      "Ann: Elm Oak 500000!");
}

TEST(TemplateCheck, AcceptsTheMessageModelAndDeclaredVariables) {
  EXPECT_TRUE(check_template("Hi {{contact.first_name}} {{#homes}}{{street}}{{/homes}} "
                             "{{#contact}}{{last_name}}{{/contact}} {{unsubscribe_url}} {{! note}}",
                             {"homes"}, {}, false)
                  .empty());
}

TEST(TemplateCheck, NamesTheUnknownVariableAtItsLineAndColumn) {
  const auto problems = check_template("Hello\n  dear {{contact.nickname}}", {}, {}, false);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].line, 2);
  EXPECT_EQ(problems[0].column, 8);
  EXPECT_NE(problems[0].message.find("unknown variable 'contact.nickname'"), std::string::npos);
}

TEST(TemplateCheck, RefusesUnescapedHtmlUnlessListedAndBrokenSyntax) {
  auto problems = check_template("<p>{{{bio}}}{{& bio}}</p>", {"bio"}, {}, true);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_NE(problems[0].message.find("html_variables"), std::string::npos);
  EXPECT_TRUE(check_template("<p>{{{bio}}}</p>", {"bio"}, {"bio"}, true).empty());
  EXPECT_TRUE(check_template("{{{bio}}}", {"bio"}, {}, false).empty());  // text: no escaping
  problems = check_template("{{#homes}}x{{/house}}{{>footer}}{{price", {"homes"}, {}, false);
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_NE(problems[0].message.find("does not match"), std::string::npos);
  EXPECT_NE(problems[1].message.find("partials"), std::string::npos);
  EXPECT_NE(problems[2].message.find("never closed"), std::string::npos);
  EXPECT_EQ(check_template("{{=<% %>=}}<% contact.first_name %> <% bogus %>", {}, {}, false).size(),
            1u);
}

TEST(SmsSegments, Gsm7UsesSeptetsAnd160Or153PerPart) {
  EXPECT_EQ(measure_sms("").segments, 0);
  auto size = measure_sms(std::string(160, 'x'));
  EXPECT_EQ(size.encoding, "GSM-7");
  EXPECT_EQ(size.segments, 1);
  EXPECT_EQ(measure_sms(std::string(161, 'x')).segments, 2);
  EXPECT_EQ(measure_sms(std::string(306, 'x')).segments, 2);
  EXPECT_EQ(measure_sms(std::string(307, 'x')).segments, 3);
  size = measure_sms(std::string(159, 'x') + "€");  // the euro sign takes an escape + septet
  EXPECT_EQ(size.encoding, "GSM-7");
  EXPECT_EQ(size.length, 161);
  EXPECT_EQ(size.segments, 2);
  EXPECT_EQ(measure_sms("Café à Zürich? ¡Hola! £5 @ Ñandù").encoding, "GSM-7");
}

TEST(SmsSegments, AnythingOutsideGsm7IsUcs2With70Or67PerPart) {
  auto size = measure_sms(std::string(69, 'x') + "ç");  // lower-case c-cedilla is not GSM-7
  EXPECT_EQ(size.encoding, "UCS-2");
  EXPECT_EQ(size.length, 70);
  EXPECT_EQ(size.segments, 1);
  EXPECT_EQ(measure_sms(std::string(71, 'x') + "中").segments, 2);
  size = measure_sms("🏠");  // outside the BMP: a surrogate pair
  EXPECT_EQ(size.length, 2);
  EXPECT_EQ(measure_sms(std::string(133, 'x') + "🏠").segments, 3);  // 135 units > 134
}

}  // namespace
}  // namespace reos::test
