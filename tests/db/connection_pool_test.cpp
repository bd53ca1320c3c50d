#include "db/connection_pool.hpp"

#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include "support/test_database.hpp"

using reos::db::ConnectionPool;

TEST(ConnectionPool, LeasesUpToItsSizeThenTimesOut) {
  reos::test::TestDatabase db;
  ConnectionPool pool(db.conninfo(), 2);
  auto a = pool.acquire();
  auto b = pool.acquire();
  EXPECT_EQ(pool.stats().in_use, 2);
  EXPECT_THROW(pool.acquire(std::chrono::milliseconds(100)), std::runtime_error);
  { auto moved = std::move(a); }
  EXPECT_EQ(pool.stats().in_use, 1);
  EXPECT_EQ(pool.stats().idle, 1);
  auto c = pool.acquire(std::chrono::milliseconds(100));
  EXPECT_EQ(pool.stats().in_use, 2);
}

TEST(ConnectionPool, ReusesIdleConnections) {
  reos::test::TestDatabase db;
  ConnectionPool pool(db.conninfo(), 4);
  int first_pid = 0;
  {
    auto lease = pool.acquire();
    first_pid = lease->backendpid();
  }
  auto lease = pool.acquire();
  EXPECT_EQ(lease->backendpid(), first_pid);
}

TEST(ConnectionPool, DropsAConnectionTheServerClosed) {
  reos::test::TestDatabase db;
  ConnectionPool pool(db.conninfo(), 1);
  {
    auto lease = pool.acquire();
    pqxx::connection killer(db.conninfo());
    pqxx::nontransaction ktx(killer);
    ktx.exec_params("SELECT pg_terminate_backend($1)", lease->backendpid());
    pqxx::nontransaction tx(*lease);
    EXPECT_THROW(tx.exec("SELECT 1"), pqxx::broken_connection);
  }
  std::string error;
  EXPECT_TRUE(pool.ping(&error)) << error;
}

TEST(ConnectionPool, PingExplainsAnUnreachableServer) {
  ConnectionPool pool("host=127.0.0.1 port=1 dbname=x user=x password=hunter2 connect_timeout=2",
                      1);
  std::string error;
  EXPECT_FALSE(pool.ping(&error));
  EXPECT_NE(error.find("cannot connect"), std::string::npos) << error;
  EXPECT_EQ(error.find("hunter2"), std::string::npos) << "password leaked: " << error;
}

TEST(ConnectionPool, RedactsPasswordsInBothConninfoForms) {
  EXPECT_EQ(reos::db::redact_conninfo("host=h password=s3cret user=u"),
            "host=h password=*** user=u");
  EXPECT_EQ(reos::db::redact_conninfo("postgresql://u:s3cret@h:5432/db"),
            "postgresql://u:***@h:5432/db");
}
