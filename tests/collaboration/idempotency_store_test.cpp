// IdempotencyStore against a real PostgreSQL: replay, mismatch, concurrent duplicates,
// failures releasing the key, a crashed request's claim taken over after its lease, expiry
// and tenant isolation of keys.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <pqxx/pqxx>
#include <thread>

#include "api/api_context.hpp"
#include "api/idempotency.hpp"
#include "api/rate_limiter.hpp"
#include "auth/authenticator.hpp"
#include "db/connection_pool.hpp"
#include "queue/job_queue.hpp"
#include "support/test_database.hpp"

namespace reos::api {
namespace {

class IdempotencyStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    test::migrate_to_current(db_.conninfo());
    pqxx::connection c(db_.conninfo());
    pqxx::work tx(c);
    tx.exec("INSERT INTO tenants (id, name) VALUES ('t-one', 'One'), ('t-two', 'Two')");
    tx.commit();
  }

  http::Request request(const std::string& body, const std::string& path = "/api/v1/things") {
    http::Request r;
    r.method = "POST";
    r.path = path;
    r.body = body;
    r.request_id = "req-1";
    return r;
  }

  Caller caller(const std::string& tenant) {
    Caller c;
    c.tenant_id = tenant;
    c.user_id = "u1";
    return c;
  }

  long long count(const std::string& sql) {
    pqxx::connection c(db_.conninfo());
    pqxx::work tx(c);
    return tx.exec(sql)[0][0].as<long long>();
  }

  void exec(const std::string& sql) {
    pqxx::connection c(db_.conninfo());
    pqxx::work tx(c);
    tx.exec(sql);
    tx.commit();
  }

  test::TestDatabase db_;
  db::ConnectionPool pool_{db_.conninfo(), 4};
};

http::Response created(const std::string& body) {
  http::Response r = http::json_response(201, body);
  r.headers.emplace_back("Location", "/api/v1/things/1");
  return r;
}

TEST_F(IdempotencyStoreTest, ReplayReturnsTheStoredResponseWithoutRunningAgain) {
  IdempotencyStore store(pool_);
  auto http = request(R"({"a":1})");
  Caller c = caller("t-one");
  ApiRequest req{http, c, "127.0.0.1", ""};
  int runs = 0;
  auto handler = [&] {
    ++runs;
    return created(R"({"id":1,"run":)" + std::to_string(runs) + "}");
  };
  http::Response first = store.run(req, "key-1", handler);
  http::Response second = store.run(req, "key-1", handler);
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(first.status, 201);
  EXPECT_EQ(second.status, 201);
  EXPECT_EQ(second.body, first.body);
  EXPECT_EQ(second.content_type, first.content_type);
  ASSERT_EQ(second.headers.size(), 2u);
  EXPECT_EQ(second.headers[0],
            (std::pair<std::string, std::string>{"Location", "/api/v1/things/1"}));
  EXPECT_EQ(second.headers[1],
            (std::pair<std::string, std::string>{"Idempotent-Replayed", "true"}));
  for (const auto& h : first.headers) EXPECT_NE(h.first, "Idempotent-Replayed");
}

TEST_F(IdempotencyStoreTest, SameKeyWithADifferentRequestIs422) {
  IdempotencyStore store(pool_);
  Caller c = caller("t-one");
  auto a = request(R"({"a":1})");
  auto b = request(R"({"a":2})");
  auto other_path = request(R"({"a":1})", "/api/v1/other");
  store.run({a, c, "", ""}, "k", [] { return created("{}"); });
  for (auto* r : {&b, &other_path}) {
    try {
      store.run({*r, c, "", ""}, "k", [] { return created("{}"); });
      FAIL() << "expected 422";
    } catch (const ApiError& e) {
      EXPECT_EQ(e.problem().status, 422);
    }
  }
}

TEST_F(IdempotencyStoreTest, KeysArePerTenant) {
  IdempotencyStore store(pool_);
  auto http = request("{}");
  Caller one = caller("t-one"), two = caller("t-two");
  int runs = 0;
  auto handler = [&] {
    ++runs;
    return created("{}");
  };
  store.run({http, one, "", ""}, "shared", handler);
  store.run({http, two, "", ""}, "shared", handler);
  EXPECT_EQ(runs, 2);
  EXPECT_EQ(count("SELECT count(*) FROM idempotency_keys WHERE key = 'shared'"), 2);
}

TEST_F(IdempotencyStoreTest, ConcurrentDuplicateWhileRunningIs409AndRunsOnce) {
  IdempotencyStore store(pool_);
  auto http = request("{}");
  Caller c = caller("t-one");
  std::promise<void> started, release;
  auto release_future = release.get_future().share();
  std::atomic<int> runs{0};
  auto first = std::async(std::launch::async, [&] {
    return store.run({http, c, "", ""}, "dup", [&] {
      ++runs;
      started.set_value();
      release_future.wait();
      return created(R"({"id":7})");
    });
  });
  started.get_future().wait();
  try {
    store.run({http, c, "", ""}, "dup", [&] {
      ++runs;
      return created("{}");
    });
    FAIL() << "expected 409";
  } catch (const ApiError& e) {
    EXPECT_EQ(e.problem().status, 409);
  }
  release.set_value();
  EXPECT_EQ(first.get().body, R"({"id":7})");
  EXPECT_EQ(runs.load(), 1);
  // Now finished: the duplicate gets the stored answer.
  EXPECT_EQ(store.run({http, c, "", ""}, "dup", [] { return created("{}"); }).body, R"({"id":7})");
}

TEST_F(IdempotencyStoreTest, ManyConcurrentDuplicatesRunTheHandlerOnce) {
  IdempotencyStore store(pool_);
  auto http = request(R"({"x":1})");
  Caller c = caller("t-one");
  std::atomic<int> runs{0}, ok{0}, conflicts{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&] {
      try {
        auto r = store.run({http, c, "", ""}, "burst", [&] {
          ++runs;
          std::this_thread::sleep_for(std::chrono::milliseconds(50));
          return created(R"({"id":9})");
        });
        if (r.body == R"({"id":9})") ++ok;
      } catch (const ApiError& e) {
        if (e.problem().status == 409) ++conflicts;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(runs.load(), 1);
  EXPECT_EQ(ok.load() + conflicts.load(), 8);
  EXPECT_GE(ok.load(), 1);
}

TEST_F(IdempotencyStoreTest, AThrowingHandlerReleasesTheKey) {
  IdempotencyStore store(pool_);
  auto http = request("{}");
  Caller c = caller("t-one");
  EXPECT_THROW(store.run({http, c, "", ""}, "fails",
                         []() -> http::Response { throw ApiError(400, "Invalid request"); }),
               ApiError);
  EXPECT_EQ(count("SELECT count(*) FROM idempotency_keys"), 0);
  EXPECT_EQ(store.run({http, c, "", ""}, "fails", [] { return created("{}"); }).status, 201);
}

TEST_F(IdempotencyStoreTest, AClaimLeftByACrashIsTakenOverAfterItsLease) {
  IdempotencyStore store(pool_);
  auto http = request("{}");
  Caller c = caller("t-one");
  // What a process that died mid-request leaves behind: a 'running' claim.
  std::promise<void> started, release;
  auto blocker = std::async(std::launch::async, [&] {
    return store.run({http, c, "", ""}, "crash", [&] {
      started.set_value();
      release.get_future().wait();
      return created("{}");
    });
  });
  started.get_future().wait();
  exec("UPDATE idempotency_keys SET lease_until = now() - interval '1 second'");
  int runs = 0;
  auto taken = store.run({http, c, "", ""}, "crash", [&] {
    ++runs;
    return created(R"({"retry":true})");
  });
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(taken.body, R"({"retry":true})");
  release.set_value();
  blocker.get();  // the late finisher must not overwrite the takeover's stored answer
  EXPECT_EQ(store.run({http, c, "", ""}, "crash", [] { return created("{}"); }).body,
            R"({"retry":true})");
}

// The handler's work goes through ApiContext like every route's: one audit row per run; a
// request of tenant t-one to run it under a key.
struct WorkingApi {
  WorkingApi(db::ConnectionPool& pool, std::shared_ptr<IdempotencyStore> s)
      : store(s),
        api(pool, queue, std::make_shared<Authenticator>(pool, auth::AuthSettings{}),
            std::make_shared<RateLimiter>(RateLimiter::Settings{}), s, ApiContext::Settings{}) {
    http.method = "POST";
    http.path = "/api/v1/things";
    http.body = "{}";
    caller.tenant_id = "t-one";
    caller.user_id = "u1";
  }
  void work() const {
    api.in_tenant("t-one", [&](pqxx::transaction_base& tx) {
      tx.exec(
          "INSERT INTO audit_log (tenant_id, actor_type, action) VALUES"
          " ('t-one', 'system', 'work')");
    });
  }
  http::Response run(const std::string& key, const std::function<http::Response()>& handler) {
    return store->run({http, caller, "", ""}, key, handler);
  }
  std::shared_ptr<IdempotencyStore> store;
  queue::JobQueue queue;
  ApiContext api;
  http::Request http;
  Caller caller;
};

// A crash after the handler's transaction but before the response is stored used to leave the
// work committed and the key re-runnable: a retry did the work twice. Now the two commit
// together, so dying there leaves neither, and the retry does the work exactly once.
TEST_F(IdempotencyStoreTest, TheWorkAndItsStoredResponseCommitTogether) {
  IdempotencyStore::Settings settings;
  bool die = true;
  settings.before_store = [&] {
    if (die) throw std::runtime_error("process died");
  };
  WorkingApi w(pool_, std::make_shared<IdempotencyStore>(pool_, settings));
  auto handler = [&] {
    w.work();
    return created("{}");
  };
  EXPECT_THROW(w.run("k", handler), std::runtime_error);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'work'"), 0);
  // As after a real crash, the claim stays until its lease ends; then the retry takes it over.
  EXPECT_EQ(count("SELECT count(*) FROM idempotency_keys WHERE state = 'running'"), 1);
  exec("UPDATE idempotency_keys SET lease_until = now() - interval '1 second'");
  die = false;
  EXPECT_EQ(w.run("k", handler).status, 201);
  EXPECT_EQ(w.run("k", handler).status, 201);  // a replay
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'work'"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM idempotency_keys WHERE state = 'done'"), 1);
}

// A handler with two transactions: the second sees the first's work (it was committed before
// the second began), and only the last one waits for the response.
TEST_F(IdempotencyStoreTest, AnEarlierTransactionOfTheHandlerIsCommittedBeforeTheNext) {
  WorkingApi w(pool_, std::make_shared<IdempotencyStore>(pool_));
  long long seen = -1;
  auto r = w.run("two", [&] {
    w.work();
    w.api.in_tenant("t-one", [&](pqxx::transaction_base& tx) {
      seen = tx.exec("SELECT count(*) FROM audit_log WHERE action = 'work'")[0][0].as<long long>();
    });
    return created("{}");
  });
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(seen, 1);
  EXPECT_EQ(count("SELECT count(*) FROM idempotency_keys WHERE state = 'done'"), 1);
}

// A handler that fails after its transaction (a check after the write) leaves nothing behind,
// as the key's release promises: a retry may run it again.
TEST_F(IdempotencyStoreTest, AHandlerThatThrowsAfterItsTransactionLeavesNothing) {
  WorkingApi w(pool_, std::make_shared<IdempotencyStore>(pool_));
  EXPECT_THROW(w.run("late",
                     [&]() -> http::Response {
                       w.work();
                       throw ApiError(409, "Conflict");
                     }),
               ApiError);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'work'"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM idempotency_keys"), 0);
  // Without a key nothing is deferred: the transaction commits when in_tenant returns.
  w.work();
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'work'"), 1);
}

TEST_F(IdempotencyStoreTest, ExpiredKeysAreReusableAndPurged) {
  IdempotencyStore store(pool_);
  auto http = request("{}");
  Caller c = caller("t-one");
  store.run({http, c, "", ""}, "old", [] { return created(R"({"v":1})"); });
  store.run({http, c, "", ""}, "old2", [] { return created(R"({"v":1})"); });
  exec("UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE key = 'old'");
  auto other = request(R"({"different":true})");
  // Expired: a new request (even a different one) may use the key again.
  EXPECT_EQ(store.run({other, c, "", ""}, "old", [] { return created(R"({"v":2})"); }).body,
            R"({"v":2})");
  exec("UPDATE idempotency_keys SET expires_at = now() - interval '1 second'");
  EXPECT_EQ(store.purge_expired(), 2u);
  EXPECT_EQ(count("SELECT count(*) FROM idempotency_keys"), 0);
}

TEST_F(IdempotencyStoreTest, ExpiryIs24Hours) {
  IdempotencyStore store(pool_);
  auto http = request("{}");
  Caller c = caller("t-one");
  store.run({http, c, "", ""}, "k", [] { return created("{}"); });
  EXPECT_EQ(
      count("SELECT extract(epoch FROM expires_at - created_at)::bigint FROM idempotency_keys"),
      24 * 3600);
}

TEST_F(IdempotencyStoreTest, BadKeysAre400) {
  IdempotencyStore store(pool_);
  auto http = request("{}");
  Caller c = caller("t-one");
  for (const std::string& key : {std::string(), std::string(256, 'k'), std::string("a\nb")}) {
    try {
      store.run({http, c, "", ""}, key, [] { return created("{}"); });
      FAIL() << "expected 400 for a key of length " << key.size();
    } catch (const ApiError& e) {
      EXPECT_EQ(e.problem().status, 400);
    }
  }
}

}  // namespace
}  // namespace reos::api
