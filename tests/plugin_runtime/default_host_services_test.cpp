// The production host services against a real PostgreSQL, a real metrics registry and a
// scratch blob folder, driven through the echo plugin (so through the reos_host_api table).
#include "plugin_runtime/default_host_services.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <pqxx/pqxx>

#include "db/connection_pool.hpp"
#include "http/metrics_registry.hpp"
#include "plugin_runtime/in_process_instance.hpp"
#include "support/test_database.hpp"
#include "test_plugins.hpp"

using namespace reos::plugin_runtime;

namespace {

class DefaultServices : public ::testing::Test {
 protected:
  void SetUp() override {
    reos::test::migrate_to_current(db_.conninfo());
    pqxx::connection conn(db_.conninfo());
    pqxx::work tx(conn);
    tx.exec("INSERT INTO tenants (id, name) VALUES ('acme', 'Acme'), ('other', 'Other')");
    tx.exec(
        "INSERT INTO connectors (tenant_id, id, plugin, settings_ref) VALUES "
        "('acme', 'echo', 'test_echo', 'acme.yaml#echo'), "
        "('other', 'echo', 'test_echo', 'other.yaml#echo')");
    tx.commit();
    ::setenv("PLUGIN_RT_TEST_TOKEN", "s3cr3t-token", 1);
    ::setenv("PLUGIN_RT_TEST_UNLISTED", "must-not-leak", 1);
    ctx_.tenant_id = "acme";
    ctx_.connector_id = "echo";
    ctx_.correlation_id = "corr-db";
  }

  void TearDown() override {
    ::unsetenv("PLUGIN_RT_TEST_TOKEN");
    ::unsetenv("PLUGIN_RT_TEST_UNLISTED");
  }

  std::shared_ptr<DefaultHostServices> services(const std::string& settings) {
    ConnectorServiceSettings s;
    s.plugin = "test_echo";
    s.tenant_id = "acme";
    s.connector_id = "echo";
    s.settings_json = settings;
    s.secrets = {{"listed", "${PLUGIN_RT_TEST_LISTED}"}};
    s.blob_root = blobs_.path();
    return std::make_shared<DefaultHostServices>(s, pool_, metrics_);
  }

  std::unique_ptr<PluginInstance> instance(const std::string& settings) {
    CallResult created;
    auto made =
        create_in_process_instance(PluginLibrary::open(reos::test::test_plugin("test_echo")),
                                   services(settings), ctx_, settings, created);
    EXPECT_NE(made, nullptr) << created.message;
    return made;
  }

  reos::test::TestDatabase db_;
  reos::db::ConnectionPool pool_{db_.conninfo(), 2};
  reos::http::MetricsRegistry metrics_;
  reos::test::ScratchDir blobs_;
  CallContext ctx_;
};

}  // namespace

TEST_F(DefaultServices, StateRoundTripsThroughTheConnectorsRowInTheTenantsScope) {
  auto svc = services("{}");
  std::string value;
  EXPECT_EQ(svc->state_get(ctx_, "cursor", value).status, REOS_NOT_FOUND);
  ASSERT_EQ(svc->state_put(ctx_, "cursor", "page-9").status, REOS_OK);
  auto echo = instance("{}");
  const CallResult r = echo->enrich(ctx_, R"({"cmd":"read_state"})");
  EXPECT_EQ(r.status, REOS_OK) << r.message;
  EXPECT_EQ(*r.output, R"({"cursor":"page-9"})");

  pqxx::connection conn(db_.conninfo());
  pqxx::nontransaction tx(conn);
  EXPECT_EQ(tx.exec("SELECT state->>'cursor' FROM connectors WHERE tenant_id = 'acme'")[0][0]
                .as<std::string>(),
            "page-9");
  EXPECT_TRUE(
      tx.exec("SELECT state->>'cursor' FROM connectors WHERE tenant_id = 'other'")[0][0].is_null())
      << "state leaked to another tenant's connector";
}

TEST_F(DefaultServices, SecretsResolveOnlyForReferencesTheOperatorWroteDown) {
  auto echo = instance(R"({"token":"${PLUGIN_RT_TEST_TOKEN}"})");
  const CallResult ok = echo->enrich(ctx_, R"({"cmd":"secret","ref":"${PLUGIN_RT_TEST_TOKEN}"})");
  EXPECT_EQ(ok.status, REOS_OK) << ok.message;
  EXPECT_EQ(*ok.output, R"({"secret":"s3cr3t-token"})");

  const CallResult denied =
      echo->enrich(ctx_, R"({"cmd":"secret","ref":"${PLUGIN_RT_TEST_UNLISTED}"})");
  EXPECT_EQ(denied.status, REOS_INVALID);
  EXPECT_NE(denied.message.find("is not a reference in this connector's settings"),
            std::string::npos)
      << denied.message;
  EXPECT_EQ(denied.message.find("must-not-leak"), std::string::npos);

  const CallResult file = echo->enrich(ctx_, R"({"cmd":"secret","ref":"file:/etc/hostname"})");
  EXPECT_EQ(file.status, REOS_INVALID) << "a file reference not in the settings must be refused";

  // A reference from the tenant's secrets map is allowed; unset, it is NOT_FOUND by name.
  const CallResult listed =
      echo->enrich(ctx_, R"({"cmd":"secret","ref":"${PLUGIN_RT_TEST_LISTED}"})");
  EXPECT_EQ(listed.status, REOS_INVALID);
  EXPECT_NE(listed.message.find("secret status 4"), std::string::npos) << listed.message;
  EXPECT_NE(listed.message.find("PLUGIN_RT_TEST_LISTED"), std::string::npos) << listed.message;
}

TEST_F(DefaultServices, CountersAndGaugesAppearInTheMetricsText) {
  auto echo = instance("{}");
  ASSERT_EQ(echo->enrich(ctx_, R"({"cmd":"count"})").status, REOS_OK);
  ASSERT_EQ(echo->enrich(ctx_, R"({"cmd":"count"})").status, REOS_OK);
  const std::string text = metrics_.render();
  EXPECT_NE(text.find("reos_plugin_echo_records_total{tenant=\"acme\",connector=\"echo\"} 2"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("reos_plugin_echo_queue_depth{tenant=\"acme\",connector=\"echo\"} 7"),
            std::string::npos)
      << text;
}

TEST_F(DefaultServices, BlobsArePutAndGotUnderTheTenantsConnectorFolder) {
  auto echo = instance("{}");
  const CallResult r = echo->enrich(ctx_, R"({"cmd":"blob"})");
  ASSERT_EQ(r.status, REOS_OK) << r.message;
  EXPECT_EQ(*r.output, R"({"blob":"JPEGDATA"})");
  BlobDirectory dir(blobs_.path() + "/acme/echo");
  std::string data;
  EXPECT_EQ(dir.get("photos/1.jpg", data).status, REOS_OK);
  EXPECT_EQ(data, "JPEGDATA");
  EXPECT_EQ(dir.content_type("photos/1.jpg"), "image/jpeg");
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(blobs_.path() + "/acme/echo")) {
    EXPECT_EQ(e.path().filename().string().find('/'), std::string::npos);
    ++files;
  }
  EXPECT_EQ(files, 2) << "the blob and its content-type sidecar";
}

TEST_F(DefaultServices, StateOfAConnectorWithoutARowIsAnErrorNotASilentNoOp) {
  ConnectorServiceSettings s;
  s.plugin = "test_echo";
  s.tenant_id = "acme";
  s.connector_id = "ghost";
  s.blob_root = blobs_.path();
  DefaultHostServices svc(s, pool_, metrics_);
  CallContext ghost = ctx_;
  ghost.connector_id = "ghost";
  EXPECT_THROW(svc.state_put(ghost, "k", "v"), std::runtime_error);
}
