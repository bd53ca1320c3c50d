// The demo's MLS: reos-rets-test-server (tests/rets) as a separate process, seeded from a King
// County CSV, read by `reos sync` through connectors/mls/rets_generic.yaml — real listings
// arriving over RETS (Digest login, metadata check, paging) into properties.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <pqxx/pqxx>
#include <thread>

#include "support/child_process.hpp"
#include "support/hub_config_dir.hpp"
#include "support/test_database.hpp"

namespace {

namespace fs = std::filesystem;

TEST(DemoRetsServer, ServesKingCountySalesThatReosSyncStoresAsClosedListings) {
  reos::test::TestDatabase db;
  reos::test::migrate_to_current(db.conninfo());
  const int port = reos::test::free_tcp_port();
  reos::test::BackgroundProcess server({RETS_DEMO_SERVER, "--csv",
                                        REOS_SOURCE_DIR "/tests/listings/fixtures/kc_head.csv",
                                        "--port", std::to_string(port)});
  const std::string dir = reos::test::make_hub_config_dir("reos-demo-rets", REOS_PLUGIN_DIR);
  std::ofstream(dir + "/tenants/demo.yaml")
      << "id: demo-brokerage\nname: Demo\nconnectors:\n"
      << "  - id: demo-mls\n    plugin: rets\n    settings:\n"
      << "      login_url: http://127.0.0.1:" << port << "/rets/login\n"
      << "      username: demo\n      password: ${DEMO_RETS_PASSWORD}\n"
      << "      class: RES\n      limit: 20\n      key_field: ListingKey\n"
      << "pipelines:\n  - id: listings\n    record_type: property\n"
      << "    sources: [{ connector: demo-mls, schedule: \"every 4h\" }]\n"
      << "    stages:\n      normalize: { field_map: " REOS_SOURCE_DIR
         "/connectors/mls/rets_generic.yaml }\n";
  // The server is up when it has printed its URL; give it a few seconds.
  for (int i = 0; i < 100 && server.running(); ++i) {
    if (std::ifstream("/proc/" + std::to_string(server.pid()) + "/status")) {
      const auto probe = reos::test::run_program(
          {"/usr/bin/curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-A", "probe", "-H",
           "RETS-Version: RETS/1.7.2", "http://127.0.0.1:" + std::to_string(port) + "/rets/login"});
      if (probe.out == "401") break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const auto r = reos::test::run_program(
      {REOS_BINARY, "--config", dir + "/hub.yaml", "sync", "demo-brokerage", "demo-mls"},
      {"REOS_DATABASE__URL=" + db.conninfo(), "DEMO_RETS_PASSWORD=demo"});
  server.signal(SIGTERM);
  EXPECT_EQ(server.wait(std::chrono::seconds(10)), 0) << server.stderr_text();
  fs::remove_all(dir);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;

  pqxx::connection conn(db.conninfo());
  pqxx::nontransaction tx(conn);
  // kc_head.csv: 50 sales → 50 listings, all Closed, none quarantined.
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM properties WHERE standard_status = 'Closed'")[0]
                .as<long long>(),
            50);
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM quarantine")[0].as<long long>(), 0);
  const auto first = tx.exec1(
      "SELECT data->>'ClosePrice', data->>'CloseDate', data->>'PostalCode', city,"
      " round(ST_Y(geog::geometry)::numeric, 4)::text"
      " FROM properties WHERE listing_key = '7129300520-2014-10-13'");
  EXPECT_EQ(first[0].as<std::string>(), "221900");
  EXPECT_EQ(first[1].as<std::string>(), "2014-10-13");
  EXPECT_EQ(first[2].as<std::string>(), "98178");
  EXPECT_EQ(first[3].as<std::string>(), "Seattle");
  EXPECT_EQ(first[4].as<std::string>(), "47.5112");
}

}  // namespace
