#include "queue_test_support.hpp"

#include <pqxx/pqxx>

namespace reos::test {

QueueDatabase::QueueDatabase() : conninfo_(db_.conninfo()) {
  migrate_to_current(conninfo_);
  exec(
      "INSERT INTO tenants (id, name) VALUES ('acme', 'Acme Realty'), ('beta', 'Beta Homes');"
      "CREATE TABLE job_effects (job_id bigint NOT NULL, worker text NOT NULL,"
      "  at timestamptz NOT NULL DEFAULT clock_timestamp())");
}

void QueueDatabase::exec(const std::string& sql) const {
  pqxx::connection conn(conninfo_);
  pqxx::work tx(conn);
  tx.exec(sql);
  tx.commit();
}

std::int64_t QueueDatabase::scalar(const std::string& sql) const {
  pqxx::connection conn(conninfo_);
  pqxx::nontransaction tx(conn);
  return tx.exec1(sql)[0].as<std::int64_t>();
}

std::string QueueDatabase::text(const std::string& sql) const {
  pqxx::connection conn(conninfo_);
  pqxx::nontransaction tx(conn);
  const pqxx::field f = tx.exec1(sql)[0];
  return f.is_null() ? std::string() : f.as<std::string>();
}

}  // namespace reos::test
