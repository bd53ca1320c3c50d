// `reos sync TENANT CONNECTOR` as an operator runs it: one foreground sync of a file feed
// into canonical properties, JSON progress on stdout, and a clear refusal for a connector no
// pipeline reads.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <pqxx/pqxx>

#include "support/child_process.hpp"
#include "support/hub_config_dir.hpp"
#include "support/test_database.hpp"

namespace {

namespace fs = std::filesystem;

class SyncCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    reos::test::migrate_to_current(db_.conninfo());
    dir_ = reos::test::make_hub_config_dir("reos-sync", REOS_PLUGIN_DIR);
    std::ofstream(dir_ + "/tenants/acme.yaml")
        << "id: acme\nname: Acme\nconnectors:\n"
        << "  - id: kc\n    plugin: file_feed\n    settings:\n"
        << "      path: " REOS_SOURCE_DIR "/tests/listings/fixtures/kc_head.csv\n"
        << "      format: csv\n"
        << "  - id: unused\n    plugin: file_feed\n    settings: { path: /dev/null }\n"
        << "pipelines:\n  - id: listings\n    record_type: property\n"
        << "    sources: [{ connector: kc, schedule: \"every 4h\" }]\n"
        << "    stages:\n      normalize: { field_map: " REOS_SOURCE_DIR
           "/connectors/mls/kc_csv.yaml }\n";
  }
  void TearDown() override { fs::remove_all(dir_); }

  reos::test::RunResult sync(const std::string& connector) {
    return reos::test::run_program(
        {REOS_BINARY, "--config", dir_ + "/hub.yaml", "sync", "acme", connector},
        {"REOS_DATABASE__URL=" + db_.conninfo()});
  }
  long long count(const std::string& sql) {
    pqxx::connection conn(db_.conninfo());
    pqxx::nontransaction tx(conn);
    return tx.exec1(sql)[0].as<long long>();
  }

  reos::test::TestDatabase db_;
  std::string dir_;
};

}  // namespace

TEST_F(SyncCommand, PullsTheWholeFeedIntoPropertiesAndReportsProgress) {
  const auto r = sync("kc");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("{\"sync\":\"done\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"properties\":50"), std::string::npos) << r.out;
  EXPECT_EQ(count("SELECT count(*) FROM properties WHERE tenant_id = 'acme'"), 50);
  EXPECT_EQ(count("SELECT sum(jsonb_array_length(payload->'changes')) FROM jobs"
                  " WHERE kind = 'listing.created'"),
            50);

  // A second sync finds the file unchanged: nothing new, nothing written.
  const auto again = sync("kc");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(count("SELECT sum(jsonb_array_length(payload->'changes')) FROM jobs"
                  " WHERE kind = 'listing.created'"),
            50);
  EXPECT_EQ(count("SELECT count(*) FROM property_history"), 50);
}

TEST_F(SyncCommand, RefusesAConnectorThatNoPipelineReads) {
  const auto r = sync("unused");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("no enabled pipeline of tenant 'acme' reads connector 'unused'"),
            std::string::npos)
      << r.err;
}
