#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "http/http_server.hpp"
#include "log/logger.hpp"
#include "support/http_client.hpp"
#include "test_server.hpp"

namespace reos::http {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// A route that sleeps, and tells the test when a request has entered it.
struct SlowRoute {
  std::promise<void> entered;
  std::atomic<bool> signalled{false};
  milliseconds sleep;

  Handler handler() {
    return [this](const Request&) {
      if (!signalled.exchange(true)) entered.set_value();
      std::this_thread::sleep_for(sleep);
      return json_response(200, R"({"slow":true})");
    };
  }
};

bool wait_until(const std::function<bool()>& cond, milliseconds limit) {
  auto deadline = Clock::now() + limit;
  while (Clock::now() < deadline) {
    if (cond()) return true;
    std::this_thread::sleep_for(milliseconds(10));
  }
  return cond();
}

TEST(HttpServerShutdown, InFlightRequestFinishesAndNewConnectionsAreRefused) {
  log::init("warn", "text");
  test::TestServer ts;
  SlowRoute slow{{}, {}, milliseconds(1500)};
  ts.router.add("GET", "/slow", slow.handler());
  ts.router.add("GET", "/fast", [](const Request&) { return json_response(200, "{}"); });
  HttpServerSettings s;
  s.shutdown_grace_ms = 10000;
  ts.start(s);
  const int port = ts.port();
  ASSERT_EQ(test::get(port, "/fast").status, 200);

  auto in_flight = std::async(std::launch::async, [port] { return test::get(port, "/slow"); });
  ASSERT_EQ(slow.entered.get_future().wait_for(std::chrono::seconds(5)), std::future_status::ready);

  std::atomic<bool> stop_returned{false};
  std::thread stopper([&] {
    ts.server->stop();
    stop_returned = true;
  });
  ASSERT_TRUE(wait_until([&] { return !ts.server->running(); }, milliseconds(2000)));

  // The listener is gone while the slow request is still being handled.
  auto refused = test::get(port, "/fast");
  EXPECT_EQ(refused.curl_code, CURLE_COULDNT_CONNECT)
      << refused.curl_error << " status " << refused.status;
  EXPECT_EQ(in_flight.wait_for(milliseconds(0)), std::future_status::timeout)
      << "slow request ended before the refusal was checked; the check proved nothing";
  EXPECT_FALSE(stop_returned.load()) << "stop() returned while a request was in flight";

  auto slow_result = in_flight.get();
  EXPECT_EQ(slow_result.curl_code, CURLE_OK) << slow_result.curl_error;
  EXPECT_EQ(slow_result.status, 200);
  EXPECT_EQ(slow_result.body, R"({"slow":true})");
  EXPECT_EQ(slow_result.header("connection"), "close");
  stopper.join();
  EXPECT_TRUE(stop_returned.load());
  EXPECT_EQ(test::get(port, "/fast").curl_code, CURLE_COULDNT_CONNECT);
}

TEST(HttpServerShutdown, StopReturnsAfterTheGraceWhenAHandlerIsSlower) {
  log::init("error", "text");
  test::TestServer ts;
  SlowRoute slow{{}, {}, milliseconds(3000)};
  ts.router.add("GET", "/slow", slow.handler());
  HttpServerSettings s;
  s.shutdown_grace_ms = 300;
  ts.start(s);
  const int port = ts.port();

  auto in_flight = std::async(std::launch::async, [port] { return test::get(port, "/slow"); });
  ASSERT_EQ(slow.entered.get_future().wait_for(std::chrono::seconds(5)), std::future_status::ready);

  auto t0 = Clock::now();
  ts.server->stop();
  auto took = std::chrono::duration_cast<milliseconds>(Clock::now() - t0);
  EXPECT_GE(took.count(), 250) << "stop() did not wait for the grace period";
  EXPECT_LT(took.count(), 2000) << "stop() waited for the handler instead of the grace period";
  EXPECT_EQ(test::get(port, "/slow").curl_code, CURLE_COULDNT_CONNECT);

  // Destroying the server waits for the abandoned handler, so nothing outlives the router.
  ts.server.reset();
  EXPECT_TRUE(slow.signalled.load());
  in_flight.get();  // whatever the client saw, it has finished
}

TEST(HttpServerShutdown, StopIsIdempotentAndSafeFromSeveralThreads) {
  log::init("warn", "text");
  test::TestServer ts;
  ts.router.add("GET", "/fast", [](const Request&) { return json_response(200, "{}"); });
  HttpServer never_started({}, ts.router, ts.metrics);
  never_started.stop();  // no-op
  ts.start();
  const int port = ts.port();
  EXPECT_EQ(test::get(port, "/fast").status, 200);

  auto t0 = Clock::now();
  std::thread a([&] { ts.server->stop(); });
  std::thread b([&] { ts.server->stop(); });
  a.join();
  b.join();
  ts.server->stop();
  EXPECT_LT(std::chrono::duration_cast<milliseconds>(Clock::now() - t0).count(), 5000)
      << "an idle server should stop without using up the grace period";
  EXPECT_FALSE(ts.server->running());
  EXPECT_EQ(test::get(port, "/fast").curl_code, CURLE_COULDNT_CONNECT);
}

TEST(HttpServerShutdown, IdleKeepAliveConnectionDoesNotDelayStop) {
  log::init("warn", "text");
  test::TestServer ts;
  ts.router.add("GET", "/fast", [](const Request&) { return json_response(200, "{}"); });
  ts.start();
  // Leave a connection open and idle (keep-alive) while stopping.
  CURL* c = curl_easy_init();
  ASSERT_NE(c, nullptr);
  std::string sink;
  curl_easy_setopt(c, CURLOPT_URL, test::url(ts.port(), "/fast").c_str());
  curl_easy_setopt(
      c, CURLOPT_WRITEFUNCTION, +[](char*, size_t s, size_t n, void*) { return s * n; });
  ASSERT_EQ(curl_easy_perform(c), CURLE_OK);

  auto t0 = Clock::now();
  ts.server->stop();
  EXPECT_LT(std::chrono::duration_cast<milliseconds>(Clock::now() - t0).count(), 5000);
  curl_easy_cleanup(c);
}

}  // namespace
}  // namespace reos::http
