// hub.yaml `auth:` — defaults, values, secret references, and errors in file:line:col form.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "config/config_error.hpp"
#include "config/hub_config.hpp"

namespace reos::config {
namespace {

namespace fs = std::filesystem;

const char* fake_env(const char* name) {
  if (std::string(name) == "HUB_JWT_A") return "0123456789abcdef0123456789abcdef-a";
  if (std::string(name) == "HUB_JWT_SHORT") return "too-short";
  return nullptr;
}

class AuthConfig : public ::testing::Test {
 protected:
  fs::path dir = fs::temp_directory_path() / ("reos-auth-config-" + std::to_string(::getpid()));
  void SetUp() override { fs::create_directories(dir); }
  void TearDown() override { fs::remove_all(dir); }
  std::string write(const std::string& text) {
    const fs::path p = dir / "hub.yaml";
    std::ofstream(p) << "database: { url: 'host=/tmp dbname=x' }\n" << text;
    return p.string();
  }
  std::vector<std::string> errors(const std::string& path) {
    try {
      load_hub_config(path, {}, &fake_env);
    } catch (const ConfigErrors& e) {
      std::vector<std::string> out;
      for (const ConfigError& err : e.errors())
        out.push_back(err.line ? std::to_string(err.line) + ":" + err.path + ": " + err.message
                               : err.message);
      return out;
    }
    return {};
  }
};

TEST_F(AuthConfig, DefaultsWithoutTheSection) {
  const HubConfig hub = load_hub_config(write(""), {}, &fake_env);
  EXPECT_TRUE(hub.auth.jwt_keys.empty());
  EXPECT_EQ(hub.auth.access_ttl_s, 900);
  EXPECT_EQ(hub.auth.refresh_ttl_s, 2592000);
  EXPECT_EQ(hub.auth.login_failures_per_account, 5);
  EXPECT_EQ(hub.auth.login_failures_per_ip, 30);
  EXPECT_DOUBLE_EQ(hub.auth.per_key_rps, 50);
}

TEST_F(AuthConfig, KeysResolveAndNumbersAreRead) {
  const HubConfig hub =
      load_hub_config(write("auth:\n"
                            "  jwt_keys: [{ kid: new, secret: '${HUB_JWT_A}' }, { kid: old, "
                            "secret: '${HUB_JWT_A}' }]\n"
                            "  access_ttl_s: 300\n"
                            "  login_throttle: { per_account: 3, per_ip: 9, window_s: 60 }\n"
                            "  rate_limits: { per_tenant_rps: 7.5, per_ip_burst: 0 }\n"),
                      {}, &fake_env);
  ASSERT_EQ(hub.auth.jwt_keys.size(), 2u);
  EXPECT_EQ(hub.auth.jwt_keys[0].kid, "new");
  EXPECT_EQ(hub.auth.jwt_keys[0].secret, "0123456789abcdef0123456789abcdef-a");
  EXPECT_EQ(hub.auth.jwt_keys[0].secret_reference, "${HUB_JWT_A}");
  EXPECT_EQ(hub.auth.access_ttl_s, 300);
  EXPECT_EQ(hub.auth.login_failures_per_account, 3);
  EXPECT_EQ(hub.auth.login_window_s, 60);
  EXPECT_DOUBLE_EQ(hub.auth.per_tenant_rps, 7.5);
  EXPECT_DOUBLE_EQ(hub.auth.per_ip_burst, 0);
}

TEST_F(AuthConfig, SecretsMustBeReferencesResolvingToAtLeast32Bytes) {
  EXPECT_EQ(
      errors(write("auth:\n  jwt_keys: [{ kid: a, secret: 'in-clear-secret' }]\n")),
      std::vector<std::string>{
          "3:auth.jwt_keys[0].secret: must be a secret reference like ${ENV_NAME} or file:/path"});
  EXPECT_EQ(errors(write("auth:\n  jwt_keys: [{ kid: a, secret: '${HUB_JWT_SHORT}' }]\n")),
            std::vector<std::string>{"3:auth.jwt_keys[0].secret: secret reference ${HUB_JWT_SHORT} "
                                     "must resolve to at least 32 bytes"});
  const std::vector<std::string> unset =
      errors(write("auth:\n  jwt_keys: [{ kid: a, secret: '${HUB_JWT_UNSET}' }]\n"));
  ASSERT_EQ(unset.size(), 1u);
  EXPECT_NE(unset[0].find("HUB_JWT_UNSET"), std::string::npos) << unset[0];
}

TEST_F(AuthConfig, OutOfRangeNumbersAndUnknownKeysAreAllReported) {
  const std::vector<std::string> e =
      errors(write("auth:\n  access_ttl_s: 5\n  leeway_s: 1000\n  rate_limits: { per_key_rps: -1 "
                   "}\n  colour: red\n"));
  EXPECT_EQ(e.size(), 4u) << ::testing::PrintToString(e);
}

}  // namespace
}  // namespace reos::config
