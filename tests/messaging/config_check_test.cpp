// `reos config check` refuses a bad messaging section with file:line:col at the template tag.

#include <gtest/gtest.h>

#include <algorithm>

#include "config/hub_config.hpp"
#include "messaging_fixture.hpp"
#include "support/child_process.hpp"

namespace reos::test {
namespace {

std::vector<std::string> check(const ScratchDir& dir, const std::string& yaml) {
  const std::string path = dir.write("tenant.yaml", yaml);
  std::vector<std::string> out;
  for (const auto& e : config::check_config_files({path})) out.push_back(e.to_string());
  return out;
}

const char* kHead = "id: acme\nname: Acme\nsecrets:\n  unsub: ${HOME}\nmessaging:\n";

TEST(MessagingConfigCheck, TheFixturesTenantIsValid) {
  ScratchDir dir;
  std::string yaml = messaging_tenant_yaml();
  dir.write("unsub.secret", "s");
  for (std::size_t at; (at = yaml.find("{dir}")) != std::string::npos;)
    yaml.replace(at, 5, dir.path());
  EXPECT_EQ(check(dir, yaml), std::vector<std::string>{});
}

TEST(MessagingConfigCheck, AnUnknownVariableInABlockScalarIsPlacedAtTheTag) {
  ScratchDir dir;
  const auto errors = check(dir, std::string(kHead) +
                                     "  templates:\n"
                                     "    hello:\n"
                                     "      channel: email\n"
                                     "      subject: \"Hi {{contact.first_name}}\"\n"
                                     "      html: |\n"
                                     "        <p>Hello</p>\n"
                                     "        <p>{{contact.nickname}}</p>\n");
  ASSERT_EQ(errors.size(), 1u) << errors[0];
  EXPECT_EQ(errors[0], dir.file("tenant.yaml") +
                           ":12:12: messaging.templates.hello.html: unknown variable "
                           "'contact.nickname': not in the message model (contact.*, recipient.*, "
                           "tenant.*, sender.*, message.*, unsubscribe_url) nor declared under "
                           "variables");
}

TEST(MessagingConfigCheck, QuotedScalarsChannelsAndSecretsAreChecked) {
  ScratchDir dir;
  const auto errors = check(dir, std::string(kHead) +
                                     "  unsubscribe_secret: missing\n"
                                     "  templates:\n"
                                     "    text-me:\n"
                                     "      channel: sms\n"
                                     "      subject: nope\n"
                                     "      text: \"Hi {{price}} {{{contact.first_name}}}\"\n"
                                     "    mail:\n"
                                     "      channel: email\n"
                                     "      variables: [bio]\n"
                                     "      subject: Hi\n"
                                     "      html: \"{{{bio}}}\"\n");
  const std::string file = dir.file("tenant.yaml");
  const std::vector<std::string> expected = {
      file +
          ":6:23: messaging.unsubscribe_secret: names no entry of secrets: (add secrets: { "
          "missing: ${ENV_NAME} })",
      file + ":10:16: messaging.templates.text-me.subject: an sms template has only text",
      file +
          ":11:17: messaging.templates.text-me.text: unknown variable 'price': not in the "
          "message model (contact.*, recipient.*, tenant.*, sender.*, message.*, "
          "unsubscribe_url) nor declared under variables",
      file +
          ":16:14: messaging.templates.mail.html: unescaped variable 'bio' in HTML: use "
          "{{bio}} or list it under html_variables"};
  EXPECT_EQ(errors, expected);
}

TEST(MessagingConfigCheck, TheReosBinaryRejectsTheFileWithExitCode3) {
  ScratchDir dir;
  const std::string path = dir.write("tenant.yaml", std::string(kHead) +
                                                        "  templates:\n"
                                                        "    a:\n"
                                                        "      channel: sms\n"
                                                        "      text: \"{{who}}\"\n");
  const RunResult r = run_program({REOS_BINARY, "config", "check", path});
  const std::string output = r.out + r.err;
  EXPECT_EQ(r.exit_code, 3) << output;
  EXPECT_NE(output.find(path + ":9:14: messaging.templates.a.text: unknown variable 'who'"),
            std::string::npos)
      << output;
}

}  // namespace
}  // namespace reos::test
