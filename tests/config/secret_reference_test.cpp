// resolve_secret: the two reference forms, and failures that name the reference only.
#include <gtest/gtest.h>

#include <cstdlib>

#include "config/hub_config.hpp"
#include "config_test_support.hpp"

namespace reos::config::test {
namespace {

std::string resolve_error(const std::string& reference, EnvLookup env) {
  try {
    resolve_secret(reference, env);
  } catch (const ConfigErrors& e) {
    EXPECT_EQ(e.errors().size(), 1u);
    return e.errors().at(0).to_string();
  }
  return "(resolved)";
}

class ConfigSecrets : public ::testing::Test {
 protected:
  void SetUp() override { fake_env().clear(); }
};

TEST_F(ConfigSecrets, EnvironmentReferenceUsesTheInjectedLookup) {
  fake_env()["HUBSPOT_TOKEN"] = "pat-na1-xyz";
  EXPECT_EQ(resolve_secret("${HUBSPOT_TOKEN}", &fake_lookup), "pat-na1-xyz");
  EXPECT_EQ(resolve_error("${OTHER_TOKEN}", &fake_lookup),
            "secret reference ${OTHER_TOKEN} is not set");
}

TEST_F(ConfigSecrets, WithoutALookupTheProcessEnvironmentIsUsed) {
  ::setenv("REOS_TEST_SECRET_REF", "from-process-env", 1);
  EXPECT_EQ(resolve_secret("${REOS_TEST_SECRET_REF}"), "from-process-env");
  ::unsetenv("REOS_TEST_SECRET_REF");
  EXPECT_EQ(resolve_error("${REOS_TEST_SECRET_REF}", nullptr),
            "secret reference ${REOS_TEST_SECRET_REF} is not set");
}

TEST_F(ConfigSecrets, FileReferenceReadsTheFileWithoutItsTrailingNewline) {
  TempDir dir("secret-file");
  const std::string file = dir.write("token", "s3cr3t value\n");
  EXPECT_EQ(resolve_secret("file:" + file), "s3cr3t value");
  const std::string raw = dir.write("raw", "no newline");
  EXPECT_EQ(resolve_secret("file:" + raw), "no newline");
}

TEST_F(ConfigSecrets, FileReferenceInATenantResolvesAtLoad) {
  TempDir dir("tenant-secret-file");
  const std::string secret = dir.write("secrets/smtp", "pw\n");
  const std::string tenant =
      dir.write("t.yaml", "id: files\nname: Files\nsecrets:\n  smtp: file:" + secret + "\n");
  EXPECT_EQ(rendered(check_config_files({tenant}, &fake_lookup)), std::vector<std::string>{});
  std::filesystem::remove(secret);
  EXPECT_EQ(rendered(check_config_files({tenant}, &fake_lookup)),
            std::vector<std::string>{tenant + ":4:9: secrets.smtp: secret reference file:" +
                                     secret + " cannot be read: No such file or directory"});
}

TEST_F(ConfigSecrets, UnreadableFileNamesTheReference) {
  TempDir dir("secret-dir");
  EXPECT_EQ(resolve_error("file:" + dir.path().string(), nullptr),
            "secret reference file:" + dir.path().string() + " cannot be read: Is a directory");
}

TEST_F(ConfigSecrets, PlainTextIsNotAReferenceAndIsNotEchoed) {
  for (const std::string text : {"hunter2", "$HUBSPOT_TOKEN", "${lower case}", "file:relative"}) {
    const std::string error = resolve_error(text, &fake_lookup);
    EXPECT_EQ(error, "not a secret reference (expected ${ENV_NAME} or file:/path)");
    EXPECT_EQ(error.find(text), std::string::npos);
  }
}

}  // namespace
}  // namespace reos::config::test
