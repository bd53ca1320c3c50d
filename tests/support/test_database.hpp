#pragma once

#include <string>

namespace reos::test {

/// The libpq conninfo of the private test cluster's maintenance database, from $REOS_TEST_PG
/// (scripts/test.sh sets it). Fails the current test with a clear message when unset:
/// the database tests never silently skip.
std::string admin_conninfo();

/// A fresh, empty database (PostGIS included, copied from template1) created for one test
/// and dropped when the object dies. Names are unique per process and counter.
class TestDatabase {
 public:
  TestDatabase();
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  const std::string& name() const { return name_; }
  /// conninfo for this database (the admin conninfo with dbname replaced).
  std::string conninfo() const;

 private:
  std::string name_;
};

/// Applies the migrations built into the host to the database at `conninfo`.
void migrate_to_current(const std::string& conninfo);

}  // namespace reos::test
