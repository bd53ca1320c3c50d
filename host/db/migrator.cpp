#include "db/migrator.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <pqxx/pqxx>

namespace reos::db {
namespace {

// pg_advisory_lock key shared by every `reos migrate`: 'reos' in ASCII, then 1.
constexpr long long kMigrationLockKey = 0x72656f7300000001LL;

struct AppliedRow {
  std::string name;
  std::string checksum;
  std::string applied_at;
};

const char* kCreateTable = R"sql(
CREATE TABLE IF NOT EXISTS schema_migrations (
  version      integer PRIMARY KEY,
  name         text NOT NULL,
  checksum     text NOT NULL,
  applied_at   timestamptz NOT NULL DEFAULT now(),
  duration_ms  integer NOT NULL DEFAULT 0
))sql";

std::map<int, AppliedRow> read_applied(pqxx::connection_base& conn) {
  pqxx::nontransaction tx(conn);
  std::map<int, AppliedRow> out;
  auto exists = tx.exec("SELECT to_regclass('schema_migrations') IS NOT NULL");
  if (!exists[0][0].as<bool>()) return out;
  for (const auto& row :
       tx.exec("SELECT version, name, checksum, "
               "to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
               "FROM schema_migrations ORDER BY version")) {
    out[row[0].as<int>()] = {row[1].as<std::string>(), row[2].as<std::string>(),
                             row[3].as<std::string>()};
  }
  return out;
}

// Compares files with the database; `pending` gets the files still to apply.
SchemaCheck compare(const std::vector<Migration>& files, const std::map<int, AppliedRow>& applied) {
  SchemaCheck check;
  std::map<int, const Migration*> by_version;
  for (const Migration& m : files) by_version[m.version] = &m;
  for (const auto& [version, row] : applied) {
    auto it = by_version.find(version);
    if (it == by_version.end()) {
      check.status = SchemaCheck::Status::ahead;
      check.detail = "the database has migration " + row.name +
                     " that this reos does not know (is a newer reos using this database?)";
      return check;
    }
    if (it->second->checksum != row.checksum) {
      check.status = SchemaCheck::Status::tampered;
      check.detail = "migration " + row.name +
                     " was changed after it was applied (checksum differs); restore the file "
                     "and add a new migration instead";
      return check;
    }
  }
  for (const Migration& m : files) {
    if (!applied.count(m.version)) check.pending.push_back(m.name);
  }
  if (!check.pending.empty()) {
    check.status = SchemaCheck::Status::behind;
    check.detail = "database schema is behind: " + std::to_string(check.pending.size()) +
                   " migration(s) pending, first " + check.pending.front() + "; run `reos migrate`";
  } else {
    check.detail = "database schema is current";
  }
  return check;
}

// Holds the session-level advisory lock for the lifetime of the object.
class MigrationLock {
 public:
  explicit MigrationLock(pqxx::connection_base& conn) : conn_(conn) {
    pqxx::nontransaction tx(conn_);
    tx.exec("SELECT pg_advisory_lock(" + std::to_string(kMigrationLockKey) + ")");
  }
  ~MigrationLock() {
    try {
      pqxx::nontransaction tx(conn_);
      tx.exec("SELECT pg_advisory_unlock(" + std::to_string(kMigrationLockKey) + ")");
    } catch (...) {
      // The lock dies with the session anyway; never throw from a destructor.
    }
  }
  MigrationLock(const MigrationLock&) = delete;
  MigrationLock& operator=(const MigrationLock&) = delete;

 private:
  pqxx::connection_base& conn_;
};

}  // namespace

Migrator::Migrator(std::vector<Migration> migrations) : migrations_(std::move(migrations)) {}

int Migrator::apply(pqxx::connection_base& conn,
                    const std::function<void(const Migration&, double ms)>& on_applied) const {
  MigrationLock lock(conn);
  {
    pqxx::work tx(conn);
    tx.exec(kCreateTable);
    tx.commit();
  }
  // Read under the lock: a concurrent run may have applied everything while we waited.
  SchemaCheck check = compare(migrations_, read_applied(conn));
  if (check.status == SchemaCheck::Status::ahead || check.status == SchemaCheck::Status::tampered) {
    throw MigrationError("migrate: " + check.detail);
  }
  int applied = 0;
  for (const Migration& m : migrations_) {
    if (std::find(check.pending.begin(), check.pending.end(), m.name) == check.pending.end()) {
      continue;
    }
    const auto start = std::chrono::steady_clock::now();
    try {
      pqxx::work tx(conn);
      tx.exec(m.sql);
      const double ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
              .count();
      tx.exec_params(
          "INSERT INTO schema_migrations (version, name, checksum, duration_ms) "
          "VALUES ($1, $2, $3, $4)",
          m.version, m.name, m.checksum, static_cast<int>(ms));
      tx.commit();
      ++applied;
      if (on_applied) on_applied(m, ms);
    } catch (const pqxx::sql_error& e) {
      std::string why = e.what();
      while (!why.empty() && why.back() == '\n') why.pop_back();
      throw MigrationError("migrate: " + m.name + " failed and was rolled back: " + why);
    }
  }
  return applied;
}

std::vector<MigrationState> Migrator::status(pqxx::connection_base& conn) const {
  const auto applied = read_applied(conn);
  std::map<int, MigrationState> rows;
  for (const Migration& m : migrations_) {
    MigrationState s;
    s.version = m.version;
    s.name = m.name;
    auto it = applied.find(m.version);
    if (it != applied.end()) {
      s.applied = true;
      s.applied_at = it->second.applied_at;
      s.checksum_ok = it->second.checksum == m.checksum;
    }
    rows[m.version] = s;
  }
  for (const auto& [version, row] : applied) {
    if (rows.count(version)) continue;
    MigrationState s;
    s.version = version;
    s.name = row.name;
    s.applied = true;
    s.applied_at = row.applied_at;
    s.in_files = false;
    rows[version] = s;
  }
  std::vector<MigrationState> out;
  for (auto& [v, s] : rows) out.push_back(std::move(s));
  return out;
}

SchemaCheck Migrator::check(pqxx::connection_base& conn) const {
  return compare(migrations_, read_applied(conn));
}

}  // namespace reos::db
