// Migrations against a real PostgreSQL: fresh, re-run, tampered, ahead, failing, concurrent.
#include "db/migrator.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <pqxx/pqxx>
#include <thread>

#include "db/migration_set.hpp"
#include "support/test_database.hpp"

namespace fs = std::filesystem;
using reos::db::MigrationError;
using reos::db::Migrator;
using reos::db::SchemaCheck;

namespace {

// A folder of migration files that lives for one test.
class MigrationDir {
 public:
  MigrationDir() {
    path_ = fs::temp_directory_path() /
            ("reos-mig-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    fs::create_directories(path_);
  }
  ~MigrationDir() { fs::remove_all(path_); }
  void write(const std::string& name, const std::string& sql) const {
    std::ofstream(path_ / name) << sql;
  }
  std::string str() const { return path_.string(); }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

// A fresh database and a folder holding 0001_first.sql and 0002_second.sql, both applied.
class MigratorWithTwoAppliedFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir.write("0001_first.sql", "CREATE TABLE a (id int);");
    dir.write("0002_second.sql", "CREATE TABLE b (id int);");
    Migrator(reos::db::migration_set_from_dir(dir.str())).apply(conn);
  }
  reos::test::TestDatabase db;
  pqxx::connection conn{db.conninfo()};
  MigrationDir dir;
};

long long count(pqxx::connection& c, const std::string& sql) {
  pqxx::nontransaction tx(c);
  return tx.exec(sql)[0][0].as<long long>();
}

}  // namespace

TEST(Migrator, FreshDatabaseGetsEveryEmbeddedMigrationWithChecksums) {
  reos::test::TestDatabase db;
  pqxx::connection conn(db.conninfo());
  Migrator m(reos::db::embedded_migration_set());
  ASSERT_FALSE(m.migrations().empty());
  EXPECT_EQ(m.check(conn).status, SchemaCheck::Status::behind);

  const int applied = m.apply(conn);

  EXPECT_EQ(applied, static_cast<int>(m.migrations().size()));
  EXPECT_EQ(count(conn, "SELECT count(*) FROM schema_migrations"), applied);
  EXPECT_EQ(m.check(conn).status, SchemaCheck::Status::current);
  pqxx::nontransaction tx(conn);
  for (const auto& mig : m.migrations()) {
    auto r =
        tx.exec_params("SELECT checksum FROM schema_migrations WHERE version = $1", mig.version);
    ASSERT_EQ(r.size(), 1u) << mig.name;
    EXPECT_EQ(r[0][0].as<std::string>(), reos::db::sha256_hex(mig.sql));
    EXPECT_EQ(mig.checksum.size(), 64u);
  }
  for (const char* table :
       {"tenants", "users", "tenant_memberships", "api_keys", "connectors", "audit_log"}) {
    EXPECT_EQ(tx.exec_params("SELECT to_regclass($1) IS NOT NULL", table)[0][0].as<bool>(), true)
        << table;
  }
}

TEST(Migrator, SecondRunIsANoOp) {
  reos::test::TestDatabase db;
  pqxx::connection conn(db.conninfo());
  Migrator m(reos::db::embedded_migration_set());
  m.apply(conn);
  std::string before;
  {
    pqxx::nontransaction tx(conn);
    before = tx.exec("SELECT string_agg(applied_at::text, ',') FROM schema_migrations")[0][0]
                 .as<std::string>();
  }
  EXPECT_EQ(m.apply(conn), 0);
  pqxx::nontransaction tx(conn);
  EXPECT_EQ(tx.exec("SELECT string_agg(applied_at::text, ',') FROM schema_migrations")[0][0]
                .as<std::string>(),
            before);
}

TEST_F(MigratorWithTwoAppliedFiles, RefusesAChangedFileAndNamesIt) {
  dir.write("0002_second.sql", "CREATE TABLE b (id bigint);");
  Migrator tampered(reos::db::migration_set_from_dir(dir.str()));
  try {
    tampered.apply(conn);
    FAIL() << "a changed migration was accepted";
  } catch (const MigrationError& e) {
    EXPECT_NE(std::string(e.what()).find("0002_second.sql"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("changed after it was applied"), std::string::npos);
  }
  EXPECT_EQ(tampered.check(conn).status, SchemaCheck::Status::tampered);
}

TEST_F(MigratorWithTwoAppliedFiles, RefusesADatabaseThatIsAhead) {
  fs::remove(fs::path(dir.str()) / "0002_second.sql");

  Migrator older(reos::db::migration_set_from_dir(dir.str()));
  EXPECT_EQ(older.check(conn).status, SchemaCheck::Status::ahead);
  EXPECT_THROW(older.apply(conn), MigrationError);
}

TEST(Migrator, FailingFileIsRolledBackWholeAndEarlierOnesStay) {
  reos::test::TestDatabase db;
  pqxx::connection conn(db.conninfo());
  MigrationDir dir;
  dir.write("0001_good.sql", "CREATE TABLE good (id int);");
  dir.write("0002_bad.sql", "CREATE TABLE half (id int);\nCREATE TABLE broken (id nosuchtype);");
  Migrator m(reos::db::migration_set_from_dir(dir.str()));
  try {
    m.apply(conn);
    FAIL() << "a broken migration was accepted";
  } catch (const MigrationError& e) {
    EXPECT_NE(std::string(e.what()).find("0002_bad.sql failed and was rolled back"),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(count(conn, "SELECT count(*) FROM schema_migrations"), 1);
  EXPECT_EQ(count(conn, "SELECT count(*) FROM pg_tables WHERE tablename = 'half'"), 0);
  EXPECT_EQ(count(conn, "SELECT count(*) FROM pg_tables WHERE tablename = 'good'"), 1);
  auto check = m.check(conn);
  EXPECT_EQ(check.status, SchemaCheck::Status::behind);
  ASSERT_EQ(check.pending.size(), 1u);
  EXPECT_EQ(check.pending[0], "0002_bad.sql");
}

TEST(Migrator, RejectsFilesThatShareAVersionOrLackOne) {
  MigrationDir dir;
  dir.write("0001_a.sql", "SELECT 1;");
  dir.write("01_b.sql", "SELECT 1;");
  EXPECT_THROW(reos::db::migration_set_from_dir(dir.str()), std::runtime_error);
  MigrationDir dir2;
  dir2.write("first.sql", "SELECT 1;");
  EXPECT_THROW(reos::db::migration_set_from_dir(dir2.str()), std::runtime_error);
}

// Without the advisory lock the second run would also try CREATE TABLE (no IF NOT EXISTS)
// while the first sleeps inside its transaction, and fail on the duplicate.
TEST(Migrator, ConcurrentRunsSerializeAndApplyEachFileOnce) {
  reos::test::TestDatabase db;
  MigrationDir dir;
  dir.write("0001_slow.sql", "SELECT pg_sleep(0.4); CREATE TABLE slow (id int);");
  dir.write("0002_next.sql", "CREATE TABLE next (id int);");
  const auto set = reos::db::migration_set_from_dir(dir.str());
  int applied[2] = {-1, -1};
  std::string errors[2];
  std::vector<std::thread> runners;
  for (int i = 0; i < 2; ++i) {
    runners.emplace_back([&, i] {
      try {
        pqxx::connection conn(db.conninfo());
        applied[i] = Migrator(set).apply(conn);
      } catch (const std::exception& e) {
        errors[i] = e.what();
      }
    });
  }
  for (auto& t : runners) t.join();
  EXPECT_EQ(errors[0], "");
  EXPECT_EQ(errors[1], "");
  EXPECT_EQ(applied[0] + applied[1], 2);
  EXPECT_TRUE((applied[0] == 2 && applied[1] == 0) || (applied[0] == 0 && applied[1] == 2));
  pqxx::connection conn(db.conninfo());
  EXPECT_EQ(count(conn, "SELECT count(*) FROM schema_migrations"), 2);
}
