#include "db/config_sync.hpp"

#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include "config/hub_config.hpp"
#include "support/test_database.hpp"

namespace {

reos::config::ConnectorConfig connector(std::string id, std::string plugin, std::string settings) {
  reos::config::ConnectorConfig c;
  c.id = std::move(id);
  c.plugin = std::move(plugin);
  c.settings_json = std::move(settings);
  return c;
}

reos::config::HubConfig hub_with(std::vector<reos::config::ConnectorConfig> connectors) {
  reos::config::HubConfig hub;
  reos::config::TenantConfig t;
  t.file = "/cfg/tenants/demo.yaml";
  t.id = "demo";
  t.name = "Demo Brokerage";
  t.connectors = std::move(connectors);
  hub.tenants.push_back(t);
  return hub;
}

}  // namespace

TEST(ConfigSync, CreatesTenantsAndConnectorsAndKeepsCursorsAcrossRuns) {
  reos::test::TestDatabase db;
  reos::test::migrate_to_current(db.conninfo());
  pqxx::connection conn(db.conninfo());
  auto hub =
      hub_with({connector("mls", "rets", "{\"url\":\"x\"}"), connector("crm", "crm_csv", "{}")});
  auto first = reos::db::sync_tenants_from_config(conn, hub);
  EXPECT_EQ(first.tenants, 1);
  EXPECT_EQ(first.connectors, 2);
  {
    pqxx::work tx(conn);
    tx.exec("UPDATE connectors SET state = '{\"cursor\":\"2024-01-01\"}' WHERE id = 'mls'");
    tx.commit();
  }
  // The crm connector leaves the config: it is disabled, not deleted; mls keeps its cursor.
  auto second =
      reos::db::sync_tenants_from_config(conn, hub_with({connector("mls", "rets", "{}")}));
  EXPECT_EQ(second.connectors_disabled, 1);
  pqxx::nontransaction tx(conn);
  auto rows = tx.exec(
      "SELECT id, enabled, status, state->>'cursor', settings_ref "
      "FROM connectors ORDER BY id");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][0].as<std::string>(), "crm");
  EXPECT_FALSE(rows[0][1].as<bool>());
  EXPECT_EQ(rows[0][2].as<std::string>(), "disabled");
  EXPECT_EQ(rows[1][0].as<std::string>(), "mls");
  EXPECT_TRUE(rows[1][1].as<bool>());
  EXPECT_EQ(rows[1][3].as<std::string>(), "2024-01-01");
  EXPECT_EQ(rows[1][4].as<std::string>(), "/cfg/tenants/demo.yaml#connectors.mls");
  EXPECT_EQ(tx.exec("SELECT name FROM tenants WHERE id = 'demo'")[0][0].as<std::string>(),
            "Demo Brokerage");
}
