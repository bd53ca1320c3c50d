// `reos serve` as a process: refuses a stale schema, becomes ready, reports losing readiness,
// logs JSON lines with the request id, and exits 0 on SIGTERM.
#include <gtest/gtest.h>
#include <signal.h>

#include <pqxx/pqxx>
#include <thread>

#include "support/child_process.hpp"
#include "support/http_client.hpp"
#include "support/test_database.hpp"

using namespace std::chrono_literals;

namespace {

const std::string kReos = REOS_BINARY;
const std::string kDemoConfig = std::string(REOS_SOURCE_DIR) + "/config/demo/hub.yaml";

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// A `reos serve` on a fresh, migrated test database and a free port.
class Serve : public ::testing::Test {
 protected:
  void SetUp() override { reos::test::migrate_to_current(db_.conninfo()); }

  std::vector<std::string> env() const {
    return {"REOS_DATABASE__URL=" + db_.conninfo(), "REOS_HTTP__PORT=" + std::to_string(port_),
            "REOS_LOG__FORMAT=json", "REOS_HTTP__SHUTDOWN_GRACE_MS=2000"};
  }
  // Polls /healthz until the server answers; fails the test after 15 s.
  void wait_until_up(reos::test::BackgroundProcess& p) {
    for (int i = 0; i < 1500; ++i) {
      if (reos::test::get(port_, "/healthz").status == 200) return;
      ASSERT_TRUE(p.running()) << "reos serve exited early:\n" << p.stderr_text();
      std::this_thread::sleep_for(10ms);
    }
    FAIL() << "reos serve did not answer /healthz:\n" << p.stderr_text();
  }

  reos::test::TestDatabase db_;
  int port_ = reos::test::free_tcp_port();
};

}  // namespace

TEST_F(Serve, RefusesADatabaseThatIsBehindAndSaysWhatToRun) {
  reos::test::TestDatabase fresh;
  auto r = reos::test::run_program(
      {kReos, "--config", kDemoConfig, "serve"},
      {"REOS_DATABASE__URL=" + fresh.conninfo(), "REOS_HTTP__PORT=" + std::to_string(port_)});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_TRUE(contains(r.err, "database schema is behind")) << r.err;
  EXPECT_TRUE(contains(r.err, "reos --config " + kDemoConfig + " migrate")) << r.err;
}

TEST_F(Serve, IsReadyOnACurrentSchemaAndLoadsTheDemoTenants) {
  reos::test::BackgroundProcess p({kReos, "--config", kDemoConfig, "serve"}, env());
  wait_until_up(p);
  auto ready = reos::test::get(port_, "/readyz");
  EXPECT_EQ(ready.status, 200) << ready.body;
  pqxx::connection conn(db_.conninfo());
  pqxx::nontransaction tx(conn);
  EXPECT_GE(tx.exec("SELECT count(*) FROM tenants")[0][0].as<int>(), 1);
  EXPECT_GE(tx.exec("SELECT count(*) FROM connectors")[0][0].as<int>(), 1);
}

TEST_F(Serve, ReadinessFailsWith503AndAReasonWhenTheSchemaFallsBehind) {
  reos::test::BackgroundProcess p({kReos, "--config", kDemoConfig, "serve"}, env());
  wait_until_up(p);
  ASSERT_EQ(reos::test::get(port_, "/readyz").status, 200);
  {
    pqxx::connection conn(db_.conninfo());
    pqxx::work tx(conn);
    tx.exec("DELETE FROM schema_migrations WHERE version = 1");
    tx.commit();
  }
  auto r = reos::test::get(port_, "/readyz");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.header("content-type"), "application/problem+json");
  EXPECT_TRUE(contains(r.body, "reos migrate")) << r.body;
  EXPECT_EQ(reos::test::get(port_, "/healthz").status, 200)
      << "liveness must not depend on the database";
}

TEST_F(Serve, LogsOneJsonObjectPerLineWithTheRequestId) {
  reos::test::BackgroundProcess p({kReos, "--config", kDemoConfig, "serve"}, env());
  wait_until_up(p);
  auto r = reos::test::get(port_, "/healthz", {"X-Request-Id: req-cli-test-42"});
  EXPECT_EQ(r.header("x-request-id"), "req-cli-test-42");
  p.signal(SIGTERM);
  ASSERT_EQ(p.wait(10s), 0) << p.stderr_text();
  const std::string log = p.stderr_text();
  EXPECT_TRUE(contains(log, "\"request_id\":\"req-cli-test-42\"")) << log;
  std::size_t start = 0, lines = 0;
  while (start < log.size()) {
    std::size_t end = log.find('\n', start);
    if (end == std::string::npos) end = log.size();
    const std::string line = log.substr(start, end - start);
    if (!line.empty()) {
      ++lines;
      EXPECT_EQ(line.front(), '{') << line;
      EXPECT_EQ(line.back(), '}') << line;
      EXPECT_TRUE(contains(line, "\"ts\":") && contains(line, "\"level\":") &&
                  contains(line, "\"msg\":"))
          << line;
    }
    start = end + 1;
  }
  EXPECT_GE(lines, 3u);
}

TEST_F(Serve, SigtermStopsAcceptingAndExitsZero) {
  reos::test::BackgroundProcess p({kReos, "--config", kDemoConfig, "serve"}, env());
  wait_until_up(p);
  p.signal(SIGTERM);
  EXPECT_EQ(p.wait(10s), 0) << p.stderr_text();
  EXPECT_EQ(reos::test::get(port_, "/healthz").status, 0) << "still listening after exit";
  EXPECT_TRUE(contains(p.stderr_text(), "\"msg\":\"stopped\"")) << p.stderr_text();
}

TEST_F(Serve, SigintAlsoStopsCleanly) {
  reos::test::BackgroundProcess p({kReos, "--config", kDemoConfig, "serve"}, env());
  wait_until_up(p);
  p.signal(SIGINT);
  EXPECT_EQ(p.wait(10s), 0) << p.stderr_text();
}
