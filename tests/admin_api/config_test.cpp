// hub.yaml `admin.token`: a secret reference only, resolved at load, at least 16 characters,
// never echoed; absent = the admin API is disabled.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "config/hub_config.hpp"

namespace reos::admin_api::test {
namespace {

namespace fs = std::filesystem;

std::map<std::string, std::string>& env() {
  static std::map<std::string, std::string> values;
  return values;
}
const char* lookup(const char* name) {
  const auto it = env().find(name);
  return it == env().end() ? nullptr : it->second.c_str();
}

class AdminConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env().clear();
    dir_ = fs::temp_directory_path() / ("reos-admin-config-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string write(const std::string& name, const std::string& content) const {
    const fs::path file = dir_ / name;
    std::ofstream(file) << content;
    return file.string();
  }
  // The rendered load errors, empty when the file loads.
  static std::vector<std::string> errors(const std::string& hub) {
    try {
      config::load_hub_config(hub, {}, &lookup);
    } catch (const config::ConfigErrors& e) {
      std::vector<std::string> lines;
      for (const auto& error : e.errors()) lines.push_back(error.to_string());
      return lines;
    }
    return {};
  }
  fs::path dir_;
};

TEST_F(AdminConfigTest, EnvReferenceIsResolvedAndTheReferenceKept) {
  env()["HUB_ADMIN_TOKEN"] = "0123456789abcdef-token";
  const std::string hub = write("hub.yaml", "admin:\n  token: ${HUB_ADMIN_TOKEN}\n");
  const config::HubConfig loaded = config::load_hub_config(hub, {}, &lookup);
  EXPECT_EQ(loaded.admin.token, "0123456789abcdef-token");
  EXPECT_EQ(loaded.admin.token_reference, "${HUB_ADMIN_TOKEN}");
  EXPECT_EQ(config::config_value(hub, {}, "admin.token"), "${HUB_ADMIN_TOKEN}")
      << "config get prints the reference, never the token";
}

TEST_F(AdminConfigTest, FileReferenceIsResolvedWithoutTrailingNewline) {
  const std::string secret = write("token", "file-token-0123456789\n");
  const std::string hub = write("hub.yaml", "admin: { token: \"file:" + secret + "\" }\n");
  EXPECT_EQ(config::load_hub_config(hub, {}, &lookup).admin.token, "file-token-0123456789");
}

TEST_F(AdminConfigTest, AbsentTokenDisablesTheAdminApi) {
  const config::HubConfig loaded =
      config::load_hub_config(write("hub.yaml", "log: { level: info }\n"), {}, &lookup);
  EXPECT_TRUE(loaded.admin.token.empty());
  EXPECT_TRUE(loaded.admin.token_reference.empty());
  // The demo hub keeps running with no environment: no admin token there.
  const std::string demo = std::string(REOS_SOURCE_DIR) + "/config/demo/hub.yaml";
  EXPECT_TRUE(config::load_hub_config(demo, {}, &lookup).admin.token.empty());
}

TEST_F(AdminConfigTest, ProblemsNameTheReferenceAndNeverTheValue) {
  const std::string clear = write("clear.yaml", "admin:\n  token: hunter2-clear-text-token\n");
  EXPECT_EQ(errors(clear),
            std::vector<std::string>{clear + ":2:10: admin.token: must be a secret reference like "
                                             "${ENV_NAME} or file:/path"});

  const std::string unset = write("unset.yaml", "admin:\n  token: ${HUB_ADMIN_TOKEN}\n");
  EXPECT_EQ(errors(unset), std::vector<std::string>{
                               unset + ":2:10: admin.token: secret reference ${HUB_ADMIN_TOKEN} "
                                       "is not set"});

  env()["HUB_ADMIN_TOKEN"] = "short-tok";
  EXPECT_EQ(errors(unset), std::vector<std::string>{
                               unset + ":2:10: admin.token: secret reference ${HUB_ADMIN_TOKEN} "
                                       "must resolve to at least 16 characters"});

  const std::string extra = write("extra.yaml", "admin:\n  tokens: ${HUB_ADMIN_TOKEN}\n");
  EXPECT_EQ(errors(extra),
            std::vector<std::string>{extra + ":2:3: admin.tokens: unknown key 'tokens' "
                                             "(allowed: token)"});
}

TEST_F(AdminConfigTest, TheTokenCanComeFromAnOverride) {
  env()["HUB_ADMIN_TOKEN"] = "override-token-0123456789";
  const std::string hub = write("hub.yaml", "log: { level: info }\n");
  const config::HubConfig loaded =
      config::load_hub_config(hub, {"REOS_ADMIN__TOKEN=${HUB_ADMIN_TOKEN}"}, &lookup);
  EXPECT_EQ(loaded.admin.token, "override-token-0123456789");
}

}  // namespace
}  // namespace reos::admin_api::test
