// REOS_* environment overrides of hub.yaml keys.
#include <gtest/gtest.h>

#include <filesystem>

#include "config/hub_config.hpp"
#include "config_test_support.hpp"

namespace reos::config::test {
namespace {

using Lines = std::vector<std::string>;

class ConfigEnvOverrides : public ::testing::Test {
 protected:
  void SetUp() override { fake_env().clear(); }
  const std::string demo_ = repo_path("config/demo/hub.yaml");
};

TEST_F(ConfigEnvOverrides, IntegerOverrideReplacesTheFileValue) {
  EXPECT_EQ(load_hub_config(demo_, {"REOS_HTTP__PORT=9090"}, &fake_lookup).http.port, 9090);
  EXPECT_EQ(load_hub_config(demo_, {}, &fake_lookup).http.port, 8080);
}

TEST_F(ConfigEnvOverrides, LevelsSplitOnDoubleUnderscoreAndNamesAreLowercased) {
  const HubConfig hub =
      load_hub_config(demo_,
                      {"REOS_DATABASE__EMBEDDED__PORT=6000", "REOS_DATABASE__POOL_SIZE=16",
                       "REOS_LOG__LEVEL=debug", "REOS_WORKERS__COUNT=0", "REOS_HTTP__BIND=0.0.0.0"},
                      &fake_lookup);
  EXPECT_EQ(hub.database.embedded_port, 6000);
  EXPECT_EQ(hub.database.pool_size, 16);
  EXPECT_EQ(hub.log.level, "debug");
  EXPECT_EQ(hub.workers.count, 0);
  EXPECT_EQ(hub.http.bind, "0.0.0.0");
  EXPECT_EQ(hub.database.embedded_name, "reos") << "siblings of an overridden key stay";
}

TEST_F(ConfigEnvOverrides, FlowSequenceAndPathsRelativeToTheWorkingDirectory) {
  const HubConfig hub = load_hub_config(
      demo_, {"REOS_PLUGIN_DIRS=[/opt/reos/plugins, local/plugins]", "REOS_TENANTS_DIR="},
      &fake_lookup);
  EXPECT_EQ(
      hub.plugin_dirs,
      (Lines{"/opt/reos/plugins",
             (std::filesystem::current_path() / "local/plugins").lexically_normal().string()}));
  EXPECT_EQ(hub.tenants_dir, "") << "an empty override switches tenants off";
  EXPECT_TRUE(hub.tenants.empty());
}

TEST_F(ConfigEnvOverrides, OverrideCreatesSectionsTheFileLeavesOut) {
  TempDir dir("env-sections");
  const std::string file = dir.write("hub.yaml", "log: {level: warn}\n");
  const HubConfig hub = load_hub_config(file, {"REOS_DATABASE__EMBEDDED__PORT=5999"}, nullptr);
  EXPECT_EQ(hub.database.embedded_port, 5999);
  EXPECT_EQ(hub.database.embedded_dir, (dir.path() / ".reos").string())
      << "a default path still resolves against the file's folder";
}

TEST_F(ConfigEnvOverrides, UnrelatedAndReservedVariablesAreIgnored) {
  EXPECT_EQ(hub_load_errors(demo_,
                            {"PATH=/usr/bin", "HOME=/root", "REOS_CONFIG=/etc/reos/hub.yaml",
                             "REOS_TEST_PG=host=/tmp", "REOS_TEST_ANYTHING=1", "NOEQUALS",
                             "REOS_PLUGIN_HOST=/usr/lib/reos/reos-plugin-host"},
                            &fake_lookup),
            Lines{});
}

TEST_F(ConfigEnvOverrides, WrongTypeNamesTheVariable) {
  EXPECT_EQ(hub_load_errors(demo_, {"REOS_HTTP__PORT=not-a-port"}, &fake_lookup),
            Lines{"env:REOS_HTTP__PORT: http.port: expected integer, got string \"not-a-port\""});
  EXPECT_EQ(hub_load_errors(demo_, {"REOS_HTTP__PORT=\"9090\""}, &fake_lookup),
            Lines{"env:REOS_HTTP__PORT: http.port: expected integer, got string \"9090\""})
      << "a quoted value stays a string, as in the file";
  EXPECT_EQ(hub_load_errors(demo_, {"REOS_HTTP__PORT=99999"}, &fake_lookup),
            Lines{"env:REOS_HTTP__PORT: http.port: must be between 0 and 65535, got 99999"});
}

TEST_F(ConfigEnvOverrides, UnknownKeyNamesTheVariable) {
  EXPECT_EQ(hub_load_errors(demo_, {"REOS_HTTP__PROT=1", "REOS_NOPE__DEEP=x"}, &fake_lookup),
            (Lines{"env:REOS_HTTP__PROT: http.prot: unknown key 'prot' (allowed: bind, "
                   "connection_timeout_s, max_body_bytes, port, public_url, shutdown_grace_ms, "
                   "threads, webhook_max_body_bytes)",
                   "env:REOS_NOPE__DEEP: nope: unknown key 'nope' (allowed: admin, auth, blobs, "
                   "database, http, log, plugin_dirs, queue, tenants_dir, workers)"}));
}

TEST_F(ConfigEnvOverrides, OverrideErrorsFollowTheFileErrors) {
  TempDir dir("env-order");
  const std::string file = dir.write("hub.yaml", "http:\n  threads: 0\n");
  EXPECT_EQ(hub_load_errors(file, {"REOS_LOG__LEVEL=loud"}, nullptr),
            (Lines{file + ":2:12: http.threads: must be between 1 and 256, got 0",
                   "env:REOS_LOG__LEVEL: log.level: must be one of: trace, debug, info, warn, "
                   "error, critical, off; got \"loud\""}));
}

TEST_F(ConfigEnvOverrides, StringValuesAreTakenVerbatim) {
  // A conninfo with a password holding " #" would lose its tail if parsed as YAML.
  const std::string conninfo = "host=db port=5432 password=a #b: c";
  EXPECT_EQ(config_value(demo_, {"REOS_DATABASE__URL=" + conninfo}, "database.url"), conninfo);
  EXPECT_EQ(
      load_hub_config(demo_, {"REOS_DATABASE__URL=" + conninfo}, &fake_lookup).database.conninfo(),
      conninfo);
}

TEST_F(ConfigEnvOverrides, DatabaseUrlOverrideMayBeASecretReference) {
  fake_env()["DATABASE_URL"] = "postgresql://reos:pw@db/reos";
  const HubConfig hub =
      load_hub_config(demo_, {"REOS_DATABASE__URL=${DATABASE_URL}"}, &fake_lookup);
  EXPECT_EQ(hub.database.conninfo(), "postgresql://reos:pw@db/reos");
  fake_env().clear();
  EXPECT_EQ(hub_load_errors(demo_, {"REOS_DATABASE__URL=${DATABASE_URL}"}, &fake_lookup),
            Lines{"env:REOS_DATABASE__URL: database.url: secret reference ${DATABASE_URL} is not "
                  "set"});
}

}  // namespace
}  // namespace reos::config::test
