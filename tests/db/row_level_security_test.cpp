// Row-level security: a tenant's rows are invisible and unwritable under another tenant.
#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include "db/tenant_scope.hpp"
#include "support/test_database.hpp"

namespace {

class RowLevelSecurity : public ::testing::Test {
 protected:
  void SetUp() override {
    reos::test::migrate_to_current(db_.conninfo());
    conn_ = std::make_unique<pqxx::connection>(db_.conninfo());
    pqxx::work tx(*conn_);  // as the owner: system work, no tenant scope
    tx.exec(
        "INSERT INTO tenants (id, name) VALUES ('alpha', 'Alpha Realty'), "
        "('bravo', 'Bravo Homes')");
    tx.exec(
        "INSERT INTO connectors (tenant_id, id, plugin, settings_ref) VALUES "
        "('alpha', 'mls', 'rets', 'a.yaml'), ('bravo', 'mls', 'rets', 'b.yaml'), "
        "('bravo', 'crm', 'crm_csv', 'b.yaml')");
    tx.exec(
        "INSERT INTO audit_log (tenant_id, actor_type, action) VALUES "
        "('alpha', 'system', 'test.a'), ('bravo', 'system', 'test.b')");
    tx.exec(
        "INSERT INTO users (id, email) VALUES "
        "('00000000-0000-0000-0000-00000000000a', 'ann@alpha.example'), "
        "('00000000-0000-0000-0000-00000000000b', 'bob@bravo.example')");
    tx.exec(
        "INSERT INTO tenant_memberships (tenant_id, user_id, role) VALUES "
        "('alpha', '00000000-0000-0000-0000-00000000000a', 'admin'), "
        "('bravo', '00000000-0000-0000-0000-00000000000b', 'agent')");
    tx.commit();
  }

  long long count_as(const std::string& tenant, const std::string& sql) {
    pqxx::work tx(*conn_);
    reos::db::enter_tenant_scope(tx, tenant);
    return tx.exec(sql)[0][0].as<long long>();
  }

  reos::test::TestDatabase db_;
  std::unique_ptr<pqxx::connection> conn_;
};

}  // namespace

TEST_F(RowLevelSecurity, TenantSeesOnlyItsOwnRows) {
  EXPECT_EQ(count_as("alpha", "SELECT count(*) FROM connectors"), 1);
  EXPECT_EQ(count_as("bravo", "SELECT count(*) FROM connectors"), 2);
  EXPECT_EQ(count_as("alpha", "SELECT count(*) FROM connectors WHERE tenant_id = 'bravo'"), 0);
  EXPECT_EQ(count_as("alpha", "SELECT count(*) FROM audit_log"), 1);
  EXPECT_EQ(count_as("alpha", "SELECT count(*) FROM tenants"), 1);
  EXPECT_EQ(count_as("alpha", "SELECT count(*) FROM tenant_memberships"), 1);
  EXPECT_EQ(count_as("alpha", "SELECT count(*) FROM users"), 1);
  EXPECT_EQ(count_as("alpha", "SELECT count(*) FROM users WHERE email LIKE 'bob%'"), 0);
}

TEST_F(RowLevelSecurity, UnknownTenantSeesNothing) {
  EXPECT_EQ(count_as("charlie", "SELECT count(*) FROM connectors"), 0);
  EXPECT_EQ(count_as("charlie", "SELECT count(*) FROM tenants"), 0);
}

TEST_F(RowLevelSecurity, AppRoleWithoutTenantSettingSeesNothing) {
  pqxx::work tx(*conn_);
  tx.exec("SET LOCAL ROLE reos_app");
  EXPECT_EQ(tx.exec("SELECT count(*) FROM connectors")[0][0].as<long long>(), 0);
  EXPECT_EQ(tx.exec("SELECT count(*) FROM audit_log")[0][0].as<long long>(), 0);
}

TEST_F(RowLevelSecurity, CannotWriteRowsForAnotherTenant) {
  pqxx::work tx(*conn_);
  reos::db::enter_tenant_scope(tx, "alpha");
  EXPECT_THROW(tx.exec("INSERT INTO connectors (tenant_id, id, plugin, settings_ref) "
                       "VALUES ('bravo', 'sneaky', 'rets', 'x')"),
               pqxx::sql_error);
}

TEST_F(RowLevelSecurity, CannotUpdateOrDeleteAnotherTenantsRows) {
  {
    pqxx::work tx(*conn_);
    reos::db::enter_tenant_scope(tx, "alpha");
    EXPECT_EQ(tx.exec("UPDATE connectors SET status = 'failing' WHERE tenant_id = 'bravo'")
                  .affected_rows(),
              0u);
    EXPECT_EQ(tx.exec("DELETE FROM connectors WHERE tenant_id = 'bravo'").affected_rows(), 0u);
    tx.commit();
  }
  pqxx::nontransaction tx(*conn_);
  EXPECT_EQ(tx.exec("SELECT count(*) FROM connectors WHERE tenant_id = 'bravo' AND "
                    "status = 'idle'")[0][0]
                .as<long long>(),
            2);
}

TEST_F(RowLevelSecurity, AuditLogIsAppendOnlyForTheApp) {
  pqxx::work tx(*conn_);
  reos::db::enter_tenant_scope(tx, "alpha");
  tx.exec(
      "INSERT INTO audit_log (tenant_id, actor_type, action) VALUES "
      "('alpha', 'system', 'ok')");
  EXPECT_THROW(tx.exec("UPDATE audit_log SET action = 'rewritten'"), pqxx::sql_error);
}

TEST_F(RowLevelSecurity, ScopeEndsWithTheTransaction) {
  {
    pqxx::work tx(*conn_);
    reos::db::enter_tenant_scope(tx, "alpha");
    tx.commit();
  }
  pqxx::nontransaction tx(*conn_);
  EXPECT_EQ(tx.exec("SELECT current_user = session_user")[0][0].as<bool>(), true);
  EXPECT_EQ(tx.exec("SELECT coalesce(current_setting('reos.tenant_id', true), '')")[0][0]
                .as<std::string>(),
            "");
  EXPECT_EQ(tx.exec("SELECT count(*) FROM connectors")[0][0].as<long long>(), 3);
}
