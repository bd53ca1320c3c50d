// The `reos` binary as an operator uses it: help, exit codes, config check, migrate.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <pqxx/pqxx>

#include "support/child_process.hpp"
#include "support/test_database.hpp"

using reos::test::run_program;

namespace {

const std::string kReos = REOS_BINARY;
const std::string kDemoConfig = std::string(REOS_SOURCE_DIR) + "/config/demo/hub.yaml";

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST(Cli, VersionNamesTheReleaseAndCommit) {
  auto r = run_program({kReos, "version"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "reos 0.")) << r.out;
  EXPECT_TRUE(contains(r.out, "commit ")) << r.out;
}

TEST(Cli, EveryCommandAnswersHelpWithUsage) {
  for (std::vector<std::string> args : {std::vector<std::string>{"--help"},
                                        {"serve", "--help"},
                                        {"migrate", "--help"},
                                        {"config", "--help"},
                                        {"config", "check", "--help"},
                                        {"version", "--help"},
                                        {"help"}}) {
    args.insert(args.begin(), kReos);
    auto r = run_program(args);
    EXPECT_EQ(r.exit_code, 0) << args[1];
    EXPECT_TRUE(contains(r.out, "usage: reos")) << args[1] << ": " << r.out;
  }
}

TEST(Cli, UsageErrorsExitWithTwo) {
  EXPECT_EQ(run_program({kReos}).exit_code, 2);
  EXPECT_EQ(run_program({kReos, "frobnicate"}).exit_code, 2);
  EXPECT_EQ(run_program({kReos, "--no-such-flag", "serve"}).exit_code, 2);
  EXPECT_EQ(run_program({kReos, "migrate", "--bogus"}).exit_code, 2);
  EXPECT_EQ(run_program({kReos, "config"}).exit_code, 2);
  EXPECT_EQ(run_program({kReos, "version", "extra"}).exit_code, 2);
  auto r = run_program({kReos, "--config"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.err, "--config needs a FILE")) << r.err;
}

TEST(Cli, ConfigCheckAcceptsTheDemoConfig) {
  auto r = run_program({kReos, "--config", kDemoConfig, "config", "check"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "OK")) << r.out;
}

TEST(Cli, ConfigErrorsExitWithThreeAndNameFileLineColumnAndKey) {
  auto dir = std::filesystem::temp_directory_path() / ("reos-cli-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const auto file = (dir / "hub.yaml").string();
  std::ofstream(file) << "http:\n  port: 70000\n";
  auto r = run_program({kReos, "--config", file, "config", "check"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_TRUE(contains(r.err, file + ":2:9: http.port:")) << r.err;
  // The same file stops serve and migrate before they touch a database.
  EXPECT_EQ(run_program({kReos, "--config", file, "serve"}).exit_code, 3);
  EXPECT_EQ(run_program({kReos, "--config", file, "migrate"}).exit_code, 3);
  std::filesystem::remove_all(dir);
}

TEST(Cli, EnvironmentOverridesAnyHubKey) {
  auto r = run_program({kReos, "--config", kDemoConfig, "config", "get", "http.port"},
                       {"REOS_HTTP__PORT=9191"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "9191\n");
  auto bad = run_program({kReos, "--config", kDemoConfig, "config", "check"},
                         {"REOS_HTTP__PORT=not-a-port"});
  EXPECT_EQ(bad.exit_code, 3);
  EXPECT_TRUE(contains(bad.err, "env:REOS_HTTP__PORT: http.port:")) << bad.err;
}

TEST(Cli, MigrateAppliesThenReportsCurrent) {
  reos::test::TestDatabase db;
  const std::vector<std::string> env = {"REOS_DATABASE__URL=" + db.conninfo()};
  auto status_before = run_program({kReos, "--config", kDemoConfig, "migrate", "--status"}, env);
  EXPECT_EQ(status_before.exit_code, 4) << "a fresh database is behind";
  EXPECT_TRUE(contains(status_before.out, "pending")) << status_before.out;

  auto r = run_program({kReos, "--config", kDemoConfig, "migrate"}, env);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "applied 0001_initial_schema.sql")) << r.out;

  auto again = run_program({kReos, "--config", kDemoConfig, "migrate"}, env);
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_FALSE(contains(again.out, "applied 0001")) << again.out;

  auto status = run_program({kReos, "--config", kDemoConfig, "migrate", "--status"}, env);
  EXPECT_EQ(status.exit_code, 0) << status.err;
  EXPECT_TRUE(contains(status.out, "applied")) << status.out;
  EXPECT_TRUE(contains(status.out, "database schema is current")) << status.out;
}

TEST(Cli, TwoMigrateProcessesAtOnceApplyEachMigrationOnce) {
  reos::test::TestDatabase db;
  const std::vector<std::string> env = {"REOS_DATABASE__URL=" + db.conninfo()};
  reos::test::BackgroundProcess a({kReos, "--config", kDemoConfig, "migrate"}, env);
  reos::test::BackgroundProcess b({kReos, "--config", kDemoConfig, "migrate"}, env);
  EXPECT_EQ(a.wait(std::chrono::seconds(60)), 0) << a.stderr_text();
  EXPECT_EQ(b.wait(std::chrono::seconds(60)), 0) << b.stderr_text();
  pqxx::connection conn(db.conninfo());
  pqxx::nontransaction tx(conn);
  EXPECT_EQ(
      tx.exec("SELECT count(*) = count(DISTINCT version) FROM schema_migrations")[0][0].as<bool>(),
      true);
}

TEST(Cli, MigrateRefusesAChangedMigrationWithExitFour) {
  reos::test::TestDatabase db;
  const std::vector<std::string> env = {"REOS_DATABASE__URL=" + db.conninfo()};
  ASSERT_EQ(run_program({kReos, "--config", kDemoConfig, "migrate"}, env).exit_code, 0);
  {
    pqxx::connection conn(db.conninfo());
    pqxx::work tx(conn);
    tx.exec("UPDATE schema_migrations SET checksum = 'feed' WHERE version = 1");
    tx.commit();
  }
  auto r = run_program({kReos, "--config", kDemoConfig, "migrate"}, env);
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_TRUE(contains(r.err, "0001_initial_schema.sql was changed after it was applied")) << r.err;
}

TEST(Cli, UnreachableDatabaseExitsWithFourWithoutLeakingThePassword) {
  const std::vector<std::string> env = {
      "REOS_DATABASE__URL=host=127.0.0.1 port=1 dbname=x user=x password=hunter2"};
  for (const char* cmd : {"migrate", "serve"}) {
    auto r = run_program({kReos, "--config", kDemoConfig, cmd}, env);
    EXPECT_EQ(r.exit_code, 4) << cmd << ": " << r.err;
    EXPECT_TRUE(contains(r.err, "cannot connect")) << r.err;
    EXPECT_FALSE(contains(r.err + r.out, "hunter2")) << r.err;
  }
}
