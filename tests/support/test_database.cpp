#include "support/test_database.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <pqxx/pqxx>
#include <stdexcept>

#include "db/migration_set.hpp"
#include "db/migrator.hpp"

namespace reos::test {

std::string admin_conninfo() {
  const char* v = std::getenv("REOS_TEST_PG");
  if (!v || !*v) {
    throw std::runtime_error(
        "REOS_TEST_PG is not set: run the tests through scripts/test.sh, which starts the "
        "private PostgreSQL cluster and exports it");
  }
  return v;
}

TestDatabase::TestDatabase() {
  static std::atomic<int> counter{0};
  name_ = "reos_test_" + std::to_string(getpid()) + "_" + std::to_string(counter++);
  pqxx::connection admin(admin_conninfo());
  pqxx::nontransaction tx(admin);
  tx.exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  tx.exec("CREATE DATABASE " + name_ + " TEMPLATE template1");
}

TestDatabase::~TestDatabase() {
  try {
    pqxx::connection admin(admin_conninfo());
    pqxx::nontransaction tx(admin);
    tx.exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  } catch (const std::exception& e) {
    ADD_FAILURE() << "could not drop test database " << name_ << ": " << e.what();
  }
}

std::string TestDatabase::conninfo() const {
  // libpq takes the last value of a repeated keyword.
  return admin_conninfo() + " dbname=" + name_;
}

void migrate_to_current(const std::string& conninfo) {
  pqxx::connection conn(conninfo);
  db::Migrator(db::embedded_migration_set()).apply(conn);
}

}  // namespace reos::test
