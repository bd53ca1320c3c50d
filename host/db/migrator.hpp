#pragma once

#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "db/migration_set.hpp"

namespace pqxx {
class connection_base;
}

namespace reos::db {

/// A migration could not be applied or the database does not match the files; the message
/// names the file and says what to do.
class MigrationError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// One row of `reos migrate --status`.
struct MigrationState {
  int version = 0;
  std::string name;
  bool applied = false;
  std::string applied_at;   ///< ISO timestamp, empty when pending
  bool checksum_ok = true;  ///< false: the file changed after it was applied
  bool in_files = true;     ///< false: applied in the database but unknown to these files
};

/// How the database compares with the migration files.
struct SchemaCheck {
  enum class Status { current, behind, ahead, tampered } status = Status::current;
  std::vector<std::string> pending;  ///< names of files not yet applied, in order
  std::string detail;                ///< one sentence for logs, /readyz and error messages
};

/// Applies and inspects migrations. Concurrent `apply` calls from any number of processes
/// serialize on one PostgreSQL advisory lock; each file runs in its own transaction.
class Migrator {
 public:
  explicit Migrator(std::vector<Migration> migrations);

  /// Applies every pending migration in version order on `conn`; calls `on_applied` after
  /// each commit with the file and its duration. Throws MigrationError (nothing of the
  /// failing file is applied) when a file fails, an applied file's checksum changed, or the
  /// database has migrations these files do not know. Returns how many were applied.
  int apply(pqxx::connection_base& conn,
            const std::function<void(const Migration&, double ms)>& on_applied = {}) const;

  /// Every migration known to the files or the database, in version order.
  std::vector<MigrationState> status(pqxx::connection_base& conn) const;

  /// Cheap enough for every /readyz: one query.
  SchemaCheck check(pqxx::connection_base& conn) const;

  const std::vector<Migration>& migrations() const { return migrations_; }

 private:
  std::vector<Migration> migrations_;
};

}  // namespace reos::db
