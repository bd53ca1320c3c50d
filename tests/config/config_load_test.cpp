// Valid configurations: the shipped files, a fixture setting every key, defaults, and the
// `config get` lookup scripts rely on.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "config/hub_config.hpp"
#include "config_test_support.hpp"

namespace reos::config::test {
namespace {

class ConfigLoad : public ::testing::Test {
 protected:
  void SetUp() override { fake_env().clear(); }
};

TEST_F(ConfigLoad, DemoHubLoadsWithNoEnvironment) {
  const HubConfig hub = load_hub_config(repo_path("config/demo/hub.yaml"), {}, &fake_lookup);
  EXPECT_EQ(hub.file, repo_path("config/demo/hub.yaml"));
  EXPECT_EQ(hub.database.url, "");
  EXPECT_EQ(hub.database.embedded_dir, repo_path(".reos"));
  EXPECT_EQ(hub.database.embedded_port, 54329);
  EXPECT_EQ(hub.database.embedded_name, "reos");
  EXPECT_EQ(hub.database.pool_size, 4);
  EXPECT_EQ(hub.database.connect_timeout_ms, 5000);
  EXPECT_EQ(hub.database.conninfo(), "host=" + repo_path(".reos") +
                                         "/run port=54329 dbname=reos user=reos connect_timeout=5");
  EXPECT_EQ(hub.http.bind, "127.0.0.1");
  EXPECT_EQ(hub.http.port, 8080);
  EXPECT_EQ(hub.http.threads, 4);
  EXPECT_EQ(hub.http.max_body_bytes, 1048576u);
  EXPECT_EQ(hub.http.shutdown_grace_ms, 10000);
  EXPECT_EQ(hub.http.connection_timeout_s, 30);
  EXPECT_EQ(hub.workers.count, 2);
  EXPECT_EQ(hub.plugin_dirs, std::vector<std::string>{repo_path("build/plugins")});
  EXPECT_EQ(hub.tenants_dir, repo_path("config/demo/tenants"));
  EXPECT_EQ(hub.log.level, "info");
  EXPECT_EQ(hub.log.format, "auto");

  ASSERT_EQ(hub.tenants.size(), 2u);  // demo.yaml (file feed) and mls.yaml (RETS), by file name
  const TenantConfig& mls = hub.tenants[1];
  EXPECT_EQ(mls.id, "demo-mls-brokerage");
  ASSERT_EQ(mls.connectors.size(), 1u);
  EXPECT_EQ(mls.connectors[0].plugin, "rets");
  EXPECT_EQ(nlohmann::json::parse(mls.connectors[0].settings_json)["password"],
            "${DEMO_MLS_PASSWORD}");
  const TenantConfig& demo = hub.tenants[0];
  EXPECT_EQ(demo.id, "demo-brokerage");
  EXPECT_EQ(demo.name, "Demo Brokerage");
  EXPECT_EQ(demo.file, repo_path("config/demo/tenants/demo.yaml"));
  EXPECT_TRUE(demo.secrets.empty());
  ASSERT_EQ(demo.connectors.size(), 4u);
  EXPECT_EQ(demo.connectors[0].id, "kc-sales");
  EXPECT_EQ(demo.connectors[0].plugin, "file_feed");
  EXPECT_TRUE(demo.connectors[0].enabled);  // file_feed exists (docs/listings.md)
  EXPECT_EQ(nlohmann::json::parse(demo.connectors[0].settings_json)["path"],
            "../shared/data/kc_house_data.csv");
  EXPECT_EQ(demo.connectors[1].plugin, "hello_enricher_c");
  EXPECT_EQ(demo.connectors[2].plugin, "rules_scorer_cpp");
  EXPECT_EQ(demo.connectors[2].isolation, "process");
  EXPECT_TRUE(demo.connectors[2].enabled);
  EXPECT_FALSE(demo.connectors[3].enabled);
}

TEST_F(ConfigLoad, ShippedHubLoads) {
  const HubConfig hub = load_hub_config(repo_path("config/hub.yaml"), {}, &fake_lookup);
  EXPECT_EQ(hub.database.embedded_dir, repo_path(".reos"));
  EXPECT_EQ(hub.tenants_dir, repo_path("config/tenants"));
  ASSERT_EQ(hub.tenants.size(), 1u);
  EXPECT_EQ(hub.tenants[0].id, "example");
  ASSERT_EQ(hub.tenants[0].connectors.size(), 1u);
  EXPECT_FALSE(hub.tenants[0].connectors[0].enabled);
}

TEST_F(ConfigLoad, EveryKeyOfTheFixtureIsRead) {
  fake_env()["ACME_DATABASE_URL"] = "postgresql://reos@db.internal/reos";
  fake_env()["ACME_CRM_TOKEN"] = "crm-token";
  const HubConfig hub = load_hub_config(fixture("good/hub.yaml"), {}, &fake_lookup);
  const std::string dir = fixture("good");
  EXPECT_EQ(hub.database.url, "postgresql://reos@db.internal/reos") << "reference resolved";
  EXPECT_EQ(hub.database.conninfo(), "postgresql://reos@db.internal/reos");
  EXPECT_EQ(hub.database.embedded_dir, dir + "/data/pg");
  EXPECT_EQ(hub.database.embedded_port, 55000);
  EXPECT_EQ(hub.database.embedded_name, "reos_test");
  EXPECT_EQ(hub.database.pool_size, 3);
  EXPECT_EQ(hub.database.connect_timeout_ms, 2500);
  EXPECT_EQ(hub.http.bind, "0.0.0.0");
  EXPECT_EQ(hub.http.port, 0);
  EXPECT_EQ(hub.http.threads, 2);
  EXPECT_EQ(hub.http.max_body_bytes, 2048u);
  EXPECT_EQ(hub.http.shutdown_grace_ms, 0);
  EXPECT_EQ(hub.http.connection_timeout_s, 5);
  EXPECT_EQ(hub.workers.count, 0);
  EXPECT_EQ(hub.plugin_dirs, (std::vector<std::string>{dir + "/plugins", "/opt/reos/plugins"}));
  EXPECT_EQ(hub.tenants_dir, dir + "/tenants");
  EXPECT_EQ(hub.log.level, "debug");
  EXPECT_EQ(hub.log.format, "json");

  ASSERT_EQ(hub.tenants.size(), 2u) << "README.txt is not a tenant file";
  const TenantConfig& acme = hub.tenants[0];
  EXPECT_EQ(acme.id, "acme");
  EXPECT_EQ(acme.name, "Acme Realty: Kansas City");
  EXPECT_EQ(acme.secrets, (std::map<std::string, std::string>{{"crm_token", "${ACME_CRM_TOKEN}"}}))
      << "references are kept, values are not";
  ASSERT_EQ(acme.connectors.size(), 2u);
  EXPECT_EQ(acme.connectors[0].plugin, "crm_hubspot");
  EXPECT_EQ(nlohmann::json::parse(acme.connectors[0].settings_json),
            (nlohmann::json{{"token", "${ACME_CRM_TOKEN}"}, {"batch", 50}}));
  EXPECT_FALSE(acme.connectors[1].enabled);
  EXPECT_EQ(acme.connectors[1].settings_json, "{}");
  EXPECT_EQ(hub.tenants[1].id, "beta-homes");
  EXPECT_EQ(hub.tenants[1].file, dir + "/tenants/beta.yml");
}

TEST_F(ConfigLoad, EmptyHubFileMeansEveryDefault) {
  TempDir dir("defaults");
  const std::string file = dir.write("hub.yaml", "# nothing set\n");
  const HubConfig hub = load_hub_config(file, {}, &fake_lookup);
  const std::string expected_dir = (dir.path() / ".reos").string();
  EXPECT_EQ(hub.database.embedded_dir, expected_dir);
  EXPECT_EQ(hub.database.conninfo(),
            "host=" + expected_dir + "/run port=54329 dbname=reos user=reos connect_timeout=5");
  EXPECT_EQ(hub.http.port, 8080);
  EXPECT_EQ(hub.http.max_body_bytes, 1048576u);
  EXPECT_EQ(hub.workers.count, 2);
  EXPECT_EQ(hub.log.level, "info");
  EXPECT_TRUE(hub.plugin_dirs.empty());
  EXPECT_EQ(hub.tenants_dir, "");
  EXPECT_TRUE(hub.tenants.empty());
}

TEST_F(ConfigLoad, ConninfoQuotesAwkwardPathsAndRoundsTheTimeoutUp) {
  DatabaseConfig db;
  db.embedded_dir = "/srv/my data";
  db.connect_timeout_ms = 1;
  EXPECT_EQ(db.conninfo(),
            "host='/srv/my data/run' port=54329 dbname=reos user=reos "
            "connect_timeout=1");
  db.connect_timeout_ms = 2500;
  EXPECT_NE(db.conninfo().find("connect_timeout=3"), std::string::npos);
}

TEST_F(ConfigLoad, ConfigValueRendersScalarsPathsAndLists) {
  const std::string demo = repo_path("config/demo/hub.yaml");
  EXPECT_EQ(config_value(demo, {}, "database.embedded.port"), "54329");
  EXPECT_EQ(config_value(demo, {}, "database.embedded.dir"), repo_path(".reos"));
  EXPECT_EQ(config_value(demo, {}, "log.level"), "info");
  EXPECT_EQ(config_value(demo, {}, "http.bind"), "127.0.0.1");
  EXPECT_EQ(config_value(demo, {}, "plugin_dirs[0]"), repo_path("build/plugins"));
  EXPECT_EQ(config_value(demo, {}, "plugin_dirs"), "[\"" + repo_path("build/plugins") + "\"]");
  EXPECT_EQ(config_value(demo, {"REOS_DATABASE__EMBEDDED__PORT=6543"}, "database.embedded.port"),
            "6543");
  // A key the file leaves out reports its default.
  TempDir dir("value-defaults");
  EXPECT_EQ(config_value(dir.write("hub.yaml", "http: {port: 1}\n"), {}, "database.pool_size"),
            "8");
}

TEST_F(ConfigLoad, ConfigValueNeverResolvesASecret) {
  // No ACME_* variables set: `config get` still works and shows the reference.
  EXPECT_EQ(config_value(fixture("good/hub.yaml"), {}, "database.url"), "${ACME_DATABASE_URL}");
}

TEST_F(ConfigLoad, ConfigValueOfAnUnknownKeyThrows) {
  const std::string demo = repo_path("config/demo/hub.yaml");
  for (const std::string key : {"http.nope", "database.embedded.port.x", "plugin_dirs[3]", ""}) {
    try {
      config_value(demo, {}, key);
      ADD_FAILURE() << "no error for '" << key << "'";
    } catch (const ConfigErrors& e) {
      EXPECT_EQ(rendered(e.errors()),
                std::vector<std::string>{demo + ": " + (key.empty() ? "" : key + ": ") +
                                         "no such configuration key"});
    }
  }
}

TEST_F(ConfigLoad, CheckingFilesTwiceDoesNotMakeADuplicateTenant) {
  EXPECT_EQ(rendered(check_config_files(
                {repo_path("config/demo/hub.yaml"), repo_path("config/demo/tenants/demo.yaml")},
                &fake_lookup)),
            std::vector<std::string>{});
  EXPECT_EQ(rendered(check_config_files({repo_path("config/hub.yaml")}, &fake_lookup)),
            std::vector<std::string>{});
}

TEST_F(ConfigLoad, CheckingAHubChecksItsSecretsAndTenants) {
  const std::string dir = fixture("good");
  EXPECT_EQ(rendered(check_config_files({dir + "/hub.yaml"}, &fake_lookup)),
            (std::vector<std::string>{
                dir + "/hub.yaml:3:8: database.url: secret reference ${ACME_DATABASE_URL} is "
                      "not set"}));
  fake_env()["ACME_DATABASE_URL"] = "postgresql:///reos";
  EXPECT_EQ(rendered(check_config_files({dir + "/hub.yaml"}, &fake_lookup)),
            (std::vector<std::string>{
                dir + "/tenants/acme.yaml:4:14: secrets.crm_token: secret reference "
                      "${ACME_CRM_TOKEN} is not set"}));
}

}  // namespace
}  // namespace reos::config::test
