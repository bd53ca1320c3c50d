// `reos serve` with a plugin folder: refused plugins and connectors that cannot start are
// logged and marked failing, and the hub still becomes ready.
#include <gtest/gtest.h>
#include <signal.h>

#include <pqxx/pqxx>
#include <thread>

#include "support/child_process.hpp"
#include "support/http_client.hpp"
#include "support/test_database.hpp"
#include "test_plugins.hpp"

using namespace std::chrono_literals;

namespace {

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST(ServePlugins, StartsWithARefusedPluginAndMarksItsConnectorsFailing) {
  reos::test::TestDatabase db;
  reos::test::migrate_to_current(db.conninfo());
  reos::test::ScratchDir dir;
  dir.add_plugin("test_echo", "plugins/libreos_test_echo.so");
  dir.add_plugin("test_major2", "plugins/libreos_test_major2.so");
  const std::string hub = dir.write("hub.yaml",
                                    "plugin_dirs: [plugins]\n"
                                    "tenants_dir: tenants\n"
                                    "blobs: { dir: blobs }\n");
  dir.write("tenants/acme.yaml",
            "id: acme\nname: Acme\nconnectors:\n"
            "  - id: good\n    plugin: test_echo\n    settings: { greeting: hi }\n"
            "  - id: refused\n    plugin: test_major2\n"
            "  - id: missing\n    plugin: nope\n"
            "  - id: badsettings\n    plugin: test_echo\n    settings:\n      batch: fifty\n"
            "  - id: off\n    plugin: nope\n    enabled: false\n");
  const int port = reos::test::free_tcp_port();
  reos::test::BackgroundProcess p(
      {REOS_BINARY, "--config", hub, "serve"},
      {"REOS_DATABASE__URL=" + db.conninfo(), "REOS_HTTP__PORT=" + std::to_string(port),
       "REOS_LOG__FORMAT=json"});
  bool up = false;
  for (int i = 0; i < 1500 && !up; ++i) {
    up = reos::test::get(port, "/healthz").status == 200;
    if (!up) {
      ASSERT_TRUE(p.running()) << "reos serve exited:\n" << p.stderr_text();
      std::this_thread::sleep_for(10ms);
    }
  }
  ASSERT_TRUE(up) << p.stderr_text();
  EXPECT_EQ(reos::test::get(port, "/readyz").status, 200) << p.stderr_text();

  pqxx::connection conn(db.conninfo());
  pqxx::nontransaction tx(conn);
  const auto row = [&](const std::string& id) {
    const auto r = tx.exec_params(
        "SELECT status, coalesce(last_error, '') FROM connectors WHERE tenant_id = 'acme' AND "
        "id = $1",
        id);
    return std::make_pair(r[0][0].as<std::string>(), r[0][1].as<std::string>());
  };
  EXPECT_EQ(row("good"), std::make_pair(std::string("idle"), std::string()));

  const auto refused = row("refused");
  EXPECT_EQ(refused.first, "failing");
  EXPECT_TRUE(contains(refused.second, "plugin 'test_major2' is not installed (plugin_dirs: " +
                                           dir.file("plugins") + ")"))
      << refused.second;
  EXPECT_TRUE(contains(refused.second, "built for ABI 2.0, host speaks 1.0")) << refused.second;

  const auto missing = row("missing");
  EXPECT_EQ(missing.first, "failing");
  EXPECT_EQ(missing.second,
            "plugin 'nope' is not installed (plugin_dirs: " + dir.file("plugins") + ")");

  const auto bad = row("badsettings");
  EXPECT_EQ(bad.first, "failing");
  EXPECT_TRUE(
      contains(bad.second, dir.file("tenants/acme.yaml") +
                               ":14:14: connectors.badsettings.settings.batch: expected integer"))
      << bad.second;
  EXPECT_EQ(row("off").first, "disabled");

  p.signal(SIGTERM);
  EXPECT_EQ(p.wait(10s), 0) << p.stderr_text();
  const std::string log = p.stderr_text();
  EXPECT_TRUE(contains(log, "\"msg\":\"plugin refused\"")) << log;
  EXPECT_TRUE(contains(log, "\"msg\":\"connector failing\"")) << log;
  EXPECT_TRUE(contains(log, "\"msg\":\"connector started\"")) << log;
}
