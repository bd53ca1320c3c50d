// The loader: every refusal is precise and never a crash; newer and older descriptors load.
#include "plugin_runtime/plugin_library.hpp"

#include <gtest/gtest.h>

#include "plugin_runtime/settings_schema.hpp"
#include "test_plugins.hpp"

using reos::plugin_runtime::PluginLibrary;
using reos::plugin_runtime::PluginRefused;
using reos::test::test_plugin;

namespace {

// The refusal text for `path`, or "" when it loaded.
std::string refusal_of(const std::string& path) {
  try {
    PluginLibrary::open(path);
  } catch (const PluginRefused& e) {
    return e.what();
  }
  return "";
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST(PluginLibrary, LoadsAWellFormedPluginAndReportsItsInfo) {
  const auto lib = PluginLibrary::open(test_plugin("test_echo"));
  const auto& info = lib->info();
  EXPECT_EQ(info.name, "test_echo");
  EXPECT_EQ(info.version, "1.0.0");
  EXPECT_EQ(info.kinds, REOS_KIND_SOURCE | REOS_KIND_ENRICHER | REOS_KIND_SCORER |
                            REOS_KIND_NOTIFIER | REOS_KIND_EXPORTER | REOS_KIND_WEBHOOK);
  EXPECT_TRUE(info.flags & REOS_FLAG_THREAD_SAFE);
  EXPECT_EQ(info.abi_major, 1);
  EXPECT_EQ(info.path, test_plugin("test_echo"));
  EXPECT_TRUE(contains(info.settings_schema, "\"greeting\""));
}

TEST(PluginLibrary, RefusesADifferentAbiMajorWithTheExactMessage) {
  const std::string path = test_plugin("test_major2");
  EXPECT_EQ(refusal_of(path), "plugin " + path + " built for ABI 2.0, host speaks 1.0");
}

TEST(PluginLibrary, RefusesAPluginThatNeedsANewerHostMinor) {
  const std::string path = test_plugin("test_needs_minor3");
  EXPECT_EQ(refusal_of(path), "plugin " + path + " needs ABI 1.3 or newer, host speaks 1.0");
}

TEST(PluginLibrary, AcceptsANewerMinorWithALargerDescriptorReadingOnlyTheKnownPrefix) {
  const auto lib = PluginLibrary::open(test_plugin("test_bigger"));
  EXPECT_EQ(lib->info().name, "test_bigger");
  EXPECT_EQ(lib->info().abi_minor, 7);
  EXPECT_GT(lib->descriptor().struct_size, sizeof(reos_plugin_descriptor));
  EXPECT_EQ(lib->info().kinds, static_cast<uint32_t>(REOS_KIND_ENRICHER));
}

TEST(PluginLibrary, TreatsCallbacksPastASmallerDescriptorAsAbsent) {
  const auto lib = PluginLibrary::open(test_plugin("test_smaller"));
  EXPECT_EQ(lib->info().kinds, static_cast<uint32_t>(REOS_KIND_ENRICHER))
      << "webhook lies past struct_size: the kind must be treated as absent";
  EXPECT_EQ(lib->descriptor().webhook, nullptr) << "the host's copy must not hold the field";
  EXPECT_EQ(lib->descriptor().struct_size, offsetof(reos_plugin_descriptor, webhook));
}

TEST(PluginLibrary, RefusesALibraryWithoutTheEntrySymbol) {
  const std::string path = test_plugin("test_no_entry");
  EXPECT_EQ(refusal_of(path),
            path + ": missing entry symbol reos_plugin_entry — is this a reos plugin?");
}

TEST(PluginLibrary, RefusesAFileThatIsNotASharedObjectWithTheLoadersReason) {
  reos::test::ScratchDir dir;
  const std::string path = dir.write("libreos_junk.so", "this is not an ELF file\n");
  const std::string why = refusal_of(path);
  EXPECT_TRUE(contains(why, "cannot load " + path + ": ")) << why;
  EXPECT_TRUE(contains(why, "invalid ELF header") || contains(why, "too short")) << why;
}

TEST(PluginLibrary, RefusesAMissingFile) {
  EXPECT_TRUE(contains(refusal_of("/nonexistent/libreos_x.so"), "cannot load /nonexistent"));
}

TEST(PluginLibrary, RefusesABadMagic) {
  const std::string path = test_plugin("test_bad_magic");
  EXPECT_EQ(refusal_of(path), path +
                                  ": bad magic 0xDEADBEEF (expected 0x534F4552, \"REOS\") — not "
                                  "a reos plugin descriptor");
}

TEST(PluginLibrary, RefusesADeclaredKindWhoseCallbackIsNull) {
  const std::string path = test_plugin("test_missing_callback");
  EXPECT_EQ(refusal_of(path), "plugin 'test_missing_callback' (" + path +
                                  ") declares kind scorer but its score callback is NULL");
}

TEST(PluginLibrary, RefusesASettingsSchemaThatIsNotJson) {
  const std::string why = refusal_of(test_plugin("test_bad_schema"));
  EXPECT_TRUE(contains(why, "settings_schema is not valid JSON")) << why;
}

TEST(PluginLibrary, RefusesANameOutsideTheAllowedPattern) {
  const std::string why = refusal_of(test_plugin("test_bad_name"));
  EXPECT_TRUE(contains(why, "plugin name 'Test-Name' must be 1 to 63 of a-z, 0-9 and '_'")) << why;
}

TEST(PluginLibrary, KeepsTheLibraryLoadedWhileAReferenceLives) {
  std::weak_ptr<PluginLibrary> weak;
  {
    auto lib = PluginLibrary::open(test_plugin("test_echo"));
    weak = lib;
    auto copy = lib;
    lib.reset();
    EXPECT_FALSE(weak.expired());
    EXPECT_EQ(copy->info().name, "test_echo");
  }
  EXPECT_TRUE(weak.expired());
}
