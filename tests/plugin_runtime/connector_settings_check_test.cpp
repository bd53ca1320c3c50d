// A connector's settings against its plugin's schema: errors point at the file, line and
// column and name the key path under connectors.<id>.settings.
#include "plugin_runtime/connector_settings_check.hpp"

#include <gtest/gtest.h>

#include "config/tenant_config.hpp"
#include "plugin_runtime/plugin_library.hpp"
#include "test_plugins.hpp"

using namespace reos::plugin_runtime;

namespace {

std::vector<std::string> check(const std::string& tenant_yaml) {
  reos::test::ScratchDir dir;
  const std::string path = dir.write("acme.yaml", tenant_yaml);
  const auto loaded = reos::config::load_tenant_files({path}, nullptr);
  EXPECT_TRUE(loaded.ok());
  if (loaded.tenants.empty()) return {"tenant did not load"};
  const auto& tenant = loaded.tenants.front();
  const auto lib = PluginLibrary::open(reos::test::test_plugin("test_echo"));
  std::vector<std::string> texts;
  for (const auto& error :
       check_connector_settings(tenant, tenant.connectors.front(), lib->settings_schema())) {
    std::string text = error.to_string();
    texts.push_back(text.substr(text.find("acme.yaml")));
  }
  return texts;
}

}  // namespace

TEST(ConnectorSettingsCheck, ValidSettingsHaveNoErrors) {
  EXPECT_TRUE(check("id: acme\nname: Acme\nconnectors:\n"
                    "  - id: feed\n    plugin: test_echo\n    settings:\n"
                    "      greeting: hi\n      batch: 5\n")
                  .empty());
}

TEST(ConnectorSettingsCheck, ErrorsNameTheFileLineColumnAndKeyPath) {
  const auto errors = check(
      "id: acme\nname: Acme\nconnectors:\n"
      "  - id: feed\n    plugin: test_echo\n    settings:\n"
      "      greeting: hi\n      batch: fifty\n      colour: red\n");
  ASSERT_EQ(errors.size(), 2u) << ::testing::PrintToString(errors);
  EXPECT_EQ(errors[0],
            "acme.yaml:8:14: connectors.feed.settings.batch: expected integer, got string "
            "\"fifty\"");
  EXPECT_EQ(errors[1],
            "acme.yaml:9:7: connectors.feed.settings.colour: unknown key 'colour' (allowed: batch, "
            "fail_create, greeting, token)")
      << "reported at the key itself";
}

TEST(ConnectorSettingsCheck, IsolationIsAConnectorKeyNotASetting) {
  reos::test::ScratchDir dir;
  const std::string path =
      dir.write("acme.yaml",
                "id: acme\nname: Acme\nconnectors:\n  - id: feed\n    plugin: test_echo\n"
                "    isolation: process\n  - id: feed2\n    plugin: test_echo\n");
  const auto loaded = reos::config::load_tenant_files({path}, nullptr);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded.tenants[0].connectors[0].isolation, "process");
  EXPECT_EQ(loaded.tenants[0].connectors[1].isolation, "in_process");
  const std::string bad =
      dir.write("bad.yaml",
                "id: bad\nname: Bad\nconnectors:\n  - id: feed\n    plugin: test_echo\n"
                "    isolation: thread\n");
  const auto refused = reos::config::load_tenant_files({bad}, nullptr);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.errors_by_file[0][0].message.find("in_process, process"), std::string::npos)
      << refused.errors_by_file[0][0].message;
}
