#pragma once

// A migrated test database with two tenants, and small SQL helpers for the queue tests.

#include <cstdint>
#include <string>

#include "support/test_database.hpp"

namespace reos::test {

/// A fresh database at the current schema with tenants `acme` and `beta` and a side-effect
/// table `job_effects(job_id, worker)` (no unique key, so a job run twice shows up twice).
class QueueDatabase {
 public:
  QueueDatabase();
  const std::string& conninfo() const { return conninfo_; }

  /// Runs `sql` in its own transaction.
  void exec(const std::string& sql) const;
  /// The first column of the first row of `sql`, as an integer.
  std::int64_t scalar(const std::string& sql) const;
  /// The first column of the first row of `sql`, as text ("" for NULL).
  std::string text(const std::string& sql) const;

 private:
  TestDatabase db_;
  std::string conninfo_;
};

}  // namespace reos::test
