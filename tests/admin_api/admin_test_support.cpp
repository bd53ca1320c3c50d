#include "admin_test_support.hpp"

#include <pqxx/pqxx>

namespace reos::admin_api::test {

void AdminApiTest::SetUp() {
  db_ = std::make_unique<reos::test::TestDatabase>();
  reos::test::migrate_to_current(db_->conninfo());
  exec("INSERT INTO tenants (id, name) VALUES ('acme', 'Acme Realty'), ('beta', 'Beta Homes')");
  pool_ = std::make_unique<db::ConnectionPool>(db_->conninfo(), 4);
}

void AdminApiTest::TearDown() {
  server_.reset();  // stops serving before the pool and the database go away
  if (pool_) pool_->close();
  pool_.reset();
  db_.reset();
}

void AdminApiTest::start(std::string token, ConnectorCircuitSource circuits) {
  server_ = std::make_unique<reos::test::TestServer>();
  add_admin_routes(server_->router, {pool_.get(), std::move(token), std::move(circuits)});
  server_->start();
}

reos::test::ClientResponse AdminApiTest::get(const std::string& path,
                                             std::optional<std::string> token) const {
  std::vector<std::string> headers;
  if (token) headers.push_back("Authorization: Bearer " + *token);
  return reos::test::get(server_->port(), path, headers);
}

reos::test::ClientResponse AdminApiTest::post(const std::string& path,
                                              std::optional<std::string> token) const {
  reos::test::ClientRequest req;
  req.method = "POST";
  req.url = reos::test::url(server_->port(), path);
  if (token) req.headers.push_back("Authorization: Bearer " + *token);
  return reos::test::perform(req);
}

std::int64_t AdminApiTest::insert_job(const JobRow& row) const {
  pqxx::connection conn(db_->conninfo());
  pqxx::work tx(conn);
  const bool running = row.status == "running";
  const pqxx::row r = tx.exec_params1(
      "INSERT INTO jobs (tenant_id, kind, payload, status, attempts, max_attempts, last_error,"
      " correlation_id, lease_owner, lease_expires_at, finished_at)"
      " VALUES ($1, $2, $3::jsonb, $4, $5, $6, nullif($7, ''), nullif($8, ''),"
      "  CASE WHEN $9 THEN 'test-worker' END, CASE WHEN $9 THEN now() + interval '1 hour' END,"
      "  CASE WHEN $4 IN ('succeeded', 'failed', 'dead') THEN now() END)"
      " RETURNING id",
      row.tenant, row.kind, row.payload, row.status, row.attempts, row.max_attempts, row.last_error,
      row.correlation_id, running);
  tx.commit();
  return r[0].as<std::int64_t>();
}

void AdminApiTest::exec(const std::string& sql) const {
  pqxx::connection conn(db_->conninfo());
  pqxx::work tx(conn);
  tx.exec(sql);
  tx.commit();
}

std::string AdminApiTest::text(const std::string& sql) const {
  pqxx::connection conn(db_->conninfo());
  pqxx::nontransaction tx(conn);
  const pqxx::field f = tx.exec1(sql)[0];
  return f.is_null() ? std::string() : f.as<std::string>();
}

}  // namespace reos::admin_api::test
