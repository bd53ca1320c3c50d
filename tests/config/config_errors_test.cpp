// Every kind of configuration error, each from its own fixture under fixtures/bad/, checked
// against the exact text an operator sees: `file:line:col: key.path: message`.
#include <gtest/gtest.h>

#include "config/hub_config.hpp"
#include "config_test_support.hpp"

namespace reos::config::test {
namespace {

using Lines = std::vector<std::string>;

class ConfigErrorMessages : public ::testing::Test {
 protected:
  void SetUp() override { fake_env().clear(); }

  static Lines check(const std::vector<std::string>& names) {
    std::vector<std::string> paths;
    for (const std::string& name : names) paths.push_back(fixture("bad/" + name));
    return rendered(check_config_files(paths, &fake_lookup));
  }
  static std::string at(const std::string& name) { return fixture("bad/" + name) + ":"; }
};

const std::string kHttpKeys =
    "bind, connection_timeout_s, max_body_bytes, port, public_url, shutdown_grace_ms, threads, "
    "webhook_max_body_bytes";

TEST_F(ConfigErrorMessages, UnknownKeyPointsAtTheKeyAndListsTheAllowedOnes) {
  EXPECT_EQ(check({"01_unknown_key.yaml"}),
            Lines{at("01_unknown_key.yaml") +
                  "3:3: http.prot: unknown key 'prot' (allowed: " + kHttpKeys + ")"});
}

TEST_F(ConfigErrorMessages, QuotedNumberIsAString) {
  EXPECT_EQ(
      check({"02_wrong_type.yaml"}),
      Lines{at("02_wrong_type.yaml") + "2:9: http.port: expected integer, got string \"8080\""});
}

TEST_F(ConfigErrorMessages, MissingRequiredKeyPointsAtTheMappingThatLacksIt) {
  EXPECT_EQ(check({"03_missing_required.yaml"}),
            (Lines{at("03_missing_required.yaml") + "1:1: missing required key 'id'",
                   at("03_missing_required.yaml") +
                       "3:5: connectors[0]: missing required key 'plugin'"}));
}

TEST_F(ConfigErrorMessages, OutOfRangeNamesTheRange) {
  EXPECT_EQ(
      check({"04_out_of_range.yaml"}),
      Lines{at("04_out_of_range.yaml") + "2:9: http.port: must be between 0 and 65535, got 70000"});
}

TEST_F(ConfigErrorMessages, EnumViolationListsTheChoices) {
  EXPECT_EQ(check({"05_enum.yaml"}),
            Lines{at("05_enum.yaml") +
                  "2:10: log.level: must be one of: trace, debug, info, warn, error, critical, "
                  "off; got \"verbose\""});
}

TEST_F(ConfigErrorMessages, DuplicateTenantIdAcrossFilesIsReportedOnTheSecondFile) {
  EXPECT_EQ(
      check({"06_duplicate_tenant_id_a.yaml", "06_duplicate_tenant_id_b.yaml"}),
      Lines{at("06_duplicate_tenant_id_b.yaml") + "2:5: id: duplicate tenant id 'acme' (also in " +
            fixture("bad/06_duplicate_tenant_id_a.yaml") + ")"});
  EXPECT_EQ(check({"06_duplicate_tenant_id_a.yaml"}), Lines{}) << "alone, each file is fine";
}

TEST_F(ConfigErrorMessages, DuplicateConnectorIdWithinATenant) {
  EXPECT_EQ(
      check({"07_duplicate_connector_id.yaml"}),
      Lines{at("07_duplicate_connector_id.yaml") +
            "6:9: connectors[1].id: duplicate connector id 'feed' (first defined at line 4)"});
}

TEST_F(ConfigErrorMessages, DuplicateYamlKeyInOneMapping) {
  EXPECT_EQ(check({"08_duplicate_yaml_key.yaml"}),
            Lines{at("08_duplicate_yaml_key.yaml") +
                  "4:3: http.port: duplicate key 'port' (first defined at line 2)"});
}

TEST_F(ConfigErrorMessages, YamlSyntaxErrorCarriesTheParserPosition) {
  EXPECT_EQ(check({"09_yaml_syntax.yaml"}),
            Lines{at("09_yaml_syntax.yaml") + "3:4: invalid YAML: end of sequence flow not found"});
}

TEST_F(ConfigErrorMessages, PlainTextSecretIsRefusedWithoutEchoingIt) {
  const Lines errors = check({"10_plaintext_secret.yaml"});
  EXPECT_EQ(errors, Lines{at("10_plaintext_secret.yaml") +
                          "4:18: secrets.hubspot_token: secrets must be references like "
                          "${ENV_NAME} or file:/path"});
  for (const std::string& line : errors) EXPECT_EQ(line.find("pat-na1"), std::string::npos);
}

TEST_F(ConfigErrorMessages, UnsetEnvironmentSecretNamesTheReference) {
  EXPECT_EQ(check({"11_unset_secret_env.yaml"}),
            Lines{at("11_unset_secret_env.yaml") +
                  "4:18: secrets.hubspot_token: secret reference ${HUBSPOT_TOKEN} is not set"});
  fake_env()["HUBSPOT_TOKEN"] = "pat-na1-secret";
  EXPECT_EQ(check({"11_unset_secret_env.yaml"}), Lines{}) << "the injected lookup is used";
}

TEST_F(ConfigErrorMessages, UnreadableSecretFileNamesTheReference) {
  EXPECT_EQ(
      check({"12_unreadable_secret_file.yaml"}),
      Lines{at("12_unreadable_secret_file.yaml") +
            "4:18: secrets.smtp_password: secret reference "
            "file:/nonexistent/reos/smtp_password cannot be read: No such file or directory"});
}

TEST_F(ConfigErrorMessages, EveryErrorInAFileIsReportedInLineOrder) {
  const std::string f = at("13_multiple_errors.yaml");
  const Lines expected = {
      f + "2:14: database.pool_size: must be between 1 and 256, got 0",
      f + "4:11: database.embedded.port: expected integer, got string \"54329\"",
      f + "7:3: http.port: duplicate key 'port' (first defined at line 6)",
      f + "8:3: http.thread: unknown key 'thread' (allowed: " + kHttpKeys + ")",
      f + "10:10: log.level: must be one of: trace, debug, info, warn, error, critical, off; "
          "got \"loud\"",
      f + "12:1: colour: unknown key 'colour' (allowed: admin, auth, blobs, database, http, log, "
          "plugin_dirs, queue, tenants_dir, workers)",
  };
  EXPECT_EQ(check({"13_multiple_errors.yaml"}), expected);
  // load_hub_config reports the same list, and its what() is that list, one per line.
  EXPECT_EQ(hub_load_errors(fixture("bad/13_multiple_errors.yaml"), {}, &fake_lookup), expected);
  try {
    load_hub_config(fixture("bad/13_multiple_errors.yaml"), {}, &fake_lookup);
    FAIL() << "expected ConfigErrors";
  } catch (const ConfigErrors& e) {
    EXPECT_EQ(std::string(e.what()).substr(0, expected[0].size() + 1), expected[0] + "\n");
  }
}

TEST_F(ConfigErrorMessages, TenantIdMustBeASlug) {
  EXPECT_EQ(check({"14_tenant_id_not_slug.yaml"}),
            Lines{at("14_tenant_id_not_slug.yaml") +
                  "1:5: id: must be a slug: 2 to 63 of a-z, 0-9 and '-', not starting with '-'; "
                  "got \"Acme Realty\""});
}

TEST_F(ConfigErrorMessages, UnresolvedDatabaseUrlReference) {
  EXPECT_EQ(check({"15_unset_database_url.yaml"}),
            Lines{at("15_unset_database_url.yaml") +
                  "2:8: database.url: secret reference ${DATABASE_URL} is not set"});
}

TEST_F(ConfigErrorMessages, WrongCollectionTypesUseYamlWords) {
  EXPECT_EQ(
      check({"16_wrong_collection_type.yaml"}),
      (Lines{at("16_wrong_collection_type.yaml") + "1:7: http: expected mapping, got sequence",
             at("16_wrong_collection_type.yaml") +
                 "2:14: plugin_dirs: expected sequence, got string \"/opt/plugins\""}));
}

TEST_F(ConfigErrorMessages, MissingFileHasNoPosition) {
  const std::string missing = fixture("bad/no_such_file.yaml");
  EXPECT_EQ(check({"no_such_file.yaml"}),
            Lines{missing + ": cannot read file: No such file or directory"});
  EXPECT_EQ(hub_load_errors(missing, {}, nullptr),
            Lines{missing + ": cannot read file: No such file or directory"});
}

TEST_F(ConfigErrorMessages, BadTenantFileStopsTheHubFromLoading) {
  TempDir dir("bad-tenant");
  const std::string hub = dir.write("hub.yaml", "tenants_dir: tenants\n");
  const std::string tenant =
      dir.write("tenants/leaky.yaml", "id: leaky\nname: Leaky\nsecrets:\n  token: hunter2\n");
  const Lines expected = {
      tenant + ":4:10: secrets.token: secrets must be references like ${ENV_NAME} or file:/path"};
  EXPECT_EQ(hub_load_errors(hub, {}, &fake_lookup), expected);
  EXPECT_EQ(rendered(check_config_files({hub}, &fake_lookup)), expected)
      << "checking a hub file checks its tenants_dir too";
}

TEST_F(ConfigErrorMessages, MissingTenantsDirectory) {
  TempDir dir("no-tenants");
  const std::string hub = dir.write("hub.yaml", "log: {level: info}\ntenants_dir: gone\n");
  EXPECT_EQ(hub_load_errors(hub, {}, nullptr),
            Lines{hub + ":2:14: tenants_dir: tenants directory " + (dir.path() / "gone").string() +
                  " does not exist"});
}

}  // namespace
}  // namespace reos::config::test
