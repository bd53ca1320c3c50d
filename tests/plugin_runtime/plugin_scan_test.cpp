// Scanning plugin folders: one good plugin and several bad files; the scan never throws.
#include "plugin_runtime/plugin_scan.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "test_plugins.hpp"

using reos::plugin_runtime::find_loaded_plugin;
using reos::plugin_runtime::scan_plugin_dirs;

TEST(PluginScan, LoadsTheGoodPluginAndRefusesEachBadFileWithItsReason) {
  reos::test::ScratchDir dir;
  dir.add_plugin("test_echo", "libreos_test_echo.so");
  dir.add_plugin("test_major2", "libreos_test_major2.so");
  dir.add_plugin("test_no_entry", "libreos_test_no_entry.so");
  dir.add_plugin("test_bad_magic", "libreos_test_bad_magic.so");
  dir.write("libreos_junk.so", "not a shared object");
  dir.add_plugin("test_echo", "libreos_zz_echo_again.so");  // same plugin name, second
  dir.write("README.md", "ignored: not libreos_*.so");
  dir.add_plugin("test_lax", "not_a_plugin_name.so");  // ignored: wrong file name pattern

  const auto outcomes = scan_plugin_dirs({dir.path(), dir.file("missing-folder")});
  ASSERT_EQ(outcomes.size(), 7u);
  int loaded = 0;
  for (const auto& o : outcomes) loaded += o.library ? 1 : 0;
  EXPECT_EQ(loaded, 1);
  ASSERT_NE(find_loaded_plugin(outcomes, "test_echo"), nullptr);
  EXPECT_EQ(find_loaded_plugin(outcomes, "test_echo")->info().path,
            dir.file("libreos_test_echo.so"));
  for (const auto& o : outcomes) {
    if (!o.library) {
      EXPECT_FALSE(o.refusal.empty()) << o.path;
    }
  }
  EXPECT_EQ(outcomes.back().refusal,
            "plugin directory " + dir.file("missing-folder") + " does not exist");
  const auto duplicate = std::find_if(outcomes.begin(), outcomes.end(), [&](const auto& o) {
    return o.path == dir.file("libreos_zz_echo_again.so");
  });
  ASSERT_NE(duplicate, outcomes.end());
  EXPECT_EQ(duplicate->refusal, dir.file("libreos_zz_echo_again.so") +
                                    ": duplicate plugin name 'test_echo', already loaded from " +
                                    dir.file("libreos_test_echo.so"));
}
