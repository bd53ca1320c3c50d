#pragma once

// A migrated test database with tenants `acme` and `beta`, a connection pool, and an
// in-process HttpServer with the admin routes, for tests that speak real HTTP to the API.

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "admin_api/admin_api.hpp"
#include "db/connection_pool.hpp"
#include "http/test_server.hpp"
#include "support/http_client.hpp"
#include "support/test_database.hpp"

namespace reos::admin_api::test {

/// The token the fixture's server accepts (unless started otherwise).
inline const std::string kToken = "s3cret-admin-token-7d1f0c2a9b";

/// One job row for insert_job(); written directly in SQL so any state can be set up.
struct JobRow {
  std::string tenant = "acme";
  std::string kind = "feed.pull";
  std::string status = "queued";
  int attempts = 0;
  int max_attempts = 5;
  std::string payload = "{}";
  std::string last_error;      ///< "" = NULL
  std::string correlation_id;  ///< "" = NULL
};

/// A JobRow of tenant acme, kind feed.pull, with `status`, `attempts` and `last_error`.
inline JobRow job_row(std::string status, int attempts = 0, std::string last_error = "") {
  JobRow row;
  row.status = std::move(status);
  row.attempts = attempts;
  row.last_error = std::move(last_error);
  return row;
}

class AdminApiTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  /// Starts the server with the admin routes; call once per test (SetUp does not).
  void start(std::string token = kToken, ConnectorCircuitSource circuits = {});

  /// GET/POST `path` with `Authorization: Bearer <token>` (no header when nullopt).
  reos::test::ClientResponse get(const std::string& path,
                                 std::optional<std::string> token = kToken) const;
  reos::test::ClientResponse post(const std::string& path,
                                  std::optional<std::string> token = kToken) const;

  std::int64_t insert_job(const JobRow& row) const;
  void exec(const std::string& sql) const;
  /// First column of the first row ("" for NULL).
  std::string text(const std::string& sql) const;

  std::unique_ptr<reos::test::TestDatabase> db_;
  std::unique_ptr<db::ConnectionPool> pool_;
  std::unique_ptr<reos::test::TestServer> server_;
};

}  // namespace reos::admin_api::test
