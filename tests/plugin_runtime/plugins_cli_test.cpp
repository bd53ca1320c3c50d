// `reos plugins list|inspect|test` as a process.
#include <gtest/gtest.h>

#include "support/child_process.hpp"
#include "test_plugins.hpp"

using reos::test::run_program;
using reos::test::test_plugin;

namespace {

const std::string kReos = REOS_BINARY;

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// The table line of `check` says `result` (PASS or FAIL).
bool check_line_says(const std::string& out, const std::string& check, const std::string& result) {
  const std::size_t at = out.find("\n" + check + " ");
  if (at == std::string::npos) return false;
  const std::string line = out.substr(at + 1, out.find('\n', at + 1) - at - 1);
  return line.find("  " + result + "  ") != std::string::npos;
}

}  // namespace

TEST(PluginsCli, ConformanceKitPassesAWellBehavedPlugin) {
  const auto r = run_program({kReos, "plugins", "test", test_plugin("test_echo")});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  for (const char* check :
       {"create.rejects_non_object_settings", "create.valid_settings", "enricher.empty_input",
        "enricher.malformed_input", "enricher.valid_input_repeated", "enricher.concurrent_calls",
        "source.malformed_input", "webhook.valid_input_repeated", "destroy"}) {
    EXPECT_TRUE(contains(r.out, check)) << check << "\n" << r.out;
  }
  EXPECT_TRUE(check_line_says(r.out, "enricher.malformed_input", "PASS")) << r.out;
  EXPECT_FALSE(contains(r.out, "  FAIL  ")) << r.out;
  EXPECT_TRUE(contains(r.out, "0 failed: PASS")) << r.out;
}

TEST(PluginsCli, ConformanceKitFailsAPluginThatAcceptsBadSettingsAndNamesTheCheck) {
  reos::test::ScratchDir dir;
  const std::string settings = dir.write("settings.yaml", "api_key: abc\n");
  const auto r =
      run_program({kReos, "plugins", "test", test_plugin("test_lax"), "--settings", settings});
  EXPECT_EQ(r.exit_code, 5) << r.out << r.err;
  EXPECT_TRUE(check_line_says(r.out, "create.rejects_non_object_settings", "FAIL")) << r.out;
  EXPECT_TRUE(check_line_says(r.out, "create.rejects_missing_required_keys", "FAIL")) << r.out;
  EXPECT_TRUE(check_line_says(r.out, "create.valid_settings", "PASS")) << r.out;
  EXPECT_TRUE(check_line_says(r.out, "enricher.empty_input", "FAIL")) << r.out;
  EXPECT_TRUE(contains(r.out, ": FAIL")) << r.out;
}

TEST(PluginsCli, ConformanceKitReportsAPluginThatDoesNotLoad) {
  const auto r = run_program({kReos, "plugins", "test", test_plugin("test_major2")});
  EXPECT_EQ(r.exit_code, 5);
  EXPECT_TRUE(contains(r.out, "built for ABI 2.0, host speaks 1.0")) << r.out;
}

TEST(PluginsCli, ListShowsLoadedPluginsAndRefusedOnesWithTheReason) {
  reos::test::ScratchDir dir;
  dir.add_plugin("test_echo", "libreos_test_echo.so");
  dir.add_plugin("test_major2", "libreos_test_major2.so");
  const auto r = run_program({kReos, "plugins", "list", "--dir", dir.path()});
  EXPECT_EQ(r.exit_code, 5) << "a refused plugin makes list exit 5\n" << r.out << r.err;
  EXPECT_TRUE(contains(r.out, "NAME")) << r.out;
  EXPECT_TRUE(contains(r.out, "test_echo  1.0.0")) << r.out;
  EXPECT_TRUE(contains(r.out, "source,enricher,scorer,notifier,exporter,webhook")) << r.out;
  EXPECT_TRUE(contains(r.out, "refused:")) << r.out;
  EXPECT_TRUE(contains(r.out, "built for ABI 2.0, host speaks 1.0")) << r.out;

  reos::test::ScratchDir good;
  good.add_plugin("test_echo", "libreos_test_echo.so");
  EXPECT_EQ(run_program({kReos, "plugins", "list", "--dir", good.path()}).exit_code, 0);
}

TEST(PluginsCli, InspectPrintsTheSettingsSchemaPretty) {
  reos::test::ScratchDir dir;
  dir.add_plugin("test_echo", "libreos_test_echo.so");
  const auto r = run_program({kReos, "plugins", "inspect", "test_echo", "--dir", dir.path()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "name:           test_echo")) << r.out;
  EXPECT_TRUE(contains(r.out, "flags:          thread_safe")) << r.out;
  EXPECT_TRUE(contains(r.out, "\n  \"additionalProperties\": false,")) << r.out;
  const auto missing = run_program({kReos, "plugins", "inspect", "nope", "--dir", dir.path()});
  EXPECT_EQ(missing.exit_code, 5);
  EXPECT_TRUE(contains(missing.err, "no loaded plugin named 'nope'")) << missing.err;
}

TEST(PluginsCli, EverySubcommandHasHelpAndBadUsageExits2) {
  for (const char* sub : {"list", "inspect", "test"}) {
    const auto r = run_program({kReos, "plugins", sub, "--help"});
    EXPECT_EQ(r.exit_code, 0) << sub;
    EXPECT_TRUE(contains(r.out, std::string("usage: reos plugins ") + sub)) << r.out;
  }
  EXPECT_EQ(run_program({kReos, "plugins"}).exit_code, 2);
  EXPECT_EQ(run_program({kReos, "plugins", "frobnicate"}).exit_code, 2);
  EXPECT_EQ(run_program({kReos, "plugins", "test"}).exit_code, 2);
}
