#include "mls_sync_fixture.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <pqxx/pqxx>

#include "support/hub_config_dir.hpp"

namespace reos::test {

namespace fs = std::filesystem;

MlsSyncFixture::MlsSyncFixture() {
  migrate_to_current(db_.conninfo());
  dir_ = reos::test::make_hub_config_dir("reos-mls-sync", REOS_PLUGIN_DIR);
  // The fields RetsTestServer always has (connectors/mls/rets_generic.yaml needs a server with
  // all of its fields: field_map_check_test.cpp).
  std::ofstream(dir_ + "/map.yaml")
      << "fields:\n"
      << "  ListingKey: { from: ListingKey, required: true }\n"
      << "  ListPrice: { from: ListPrice, type: number }\n"
      << "  City: { from: City }\n"
      << "  ModificationTimestamp: { from: ModificationTimestamp, type: timestamp }\n";
  write_tenant(dir_ + "/map.yaml");
}

MlsSyncFixture::~MlsSyncFixture() {
  fs::remove_all(dir_);
}

RunResult MlsSyncFixture::sync(bool full, const std::vector<std::string>& extra_args) {
  std::vector<std::string> argv = {REOS_BINARY, "--config", dir_ + "/hub.yaml",
                                   "sync",      "acme",     "mls"};
  if (full) argv.push_back("--full");
  for (const auto& a : extra_args) argv.push_back(a);
  return run_program(argv, {"REOS_DATABASE__URL=" + db_.conninfo(), "MLS_TEST_PASSWORD=secret"});
}

long long MlsSyncFixture::count(const std::string& sql) {
  pqxx::connection conn(db_.conninfo());
  pqxx::nontransaction tx(conn);
  return tx.exec1(sql)[0].as<long long>();
}

void MlsSyncFixture::write_tenant(const std::string& field_map) {
  std::ofstream(dir_ + "/tenants/acme.yaml")
      << "id: acme\nname: Acme\nconnectors:\n"
      << "  - id: mls\n    plugin: rets\n    settings:\n"
      << "      login_url: " << server_.login_url() << "\n"
      << "      username: agent\n      password: ${MLS_TEST_PASSWORD}\n"
      << "      class: RES\n      limit: 2\n      key_field: ListingKey\n"
      << "pipelines:\n  - id: listings\n    record_type: property\n"
      << "    sources: [{ connector: mls, schedule: \"every 4h\" }]\n"
      << "    stages:\n      normalize: { field_map: " << field_map << " }\n";
}

std::string MlsSyncFixture::text(const std::string& sql) {
  pqxx::connection conn(db_.conninfo());
  pqxx::nontransaction tx(conn);
  const auto r = tx.exec1(sql);
  return r[0].is_null() ? "<null>" : r[0].as<std::string>();
}

std::vector<RetsListing> MlsSyncFixture::listings(int n) {
  std::vector<RetsListing> out;
  for (int i = 1; i <= n; ++i)
    out.push_back({"L" + std::to_string(i), "2024-01-01T10:00:0" + std::to_string(i),
                   std::to_string(100000 * i), "Seattle"});
  return out;
}

}  // namespace reos::test
