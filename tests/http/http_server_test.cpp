#include "http/http_server.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <stdexcept>
#include <thread>

#include "http/problem_json.hpp"
#include "log/logger.hpp"
#include "prometheus_text.hpp"
#include "support/http_client.hpp"
#include "test_server.hpp"

namespace reos::http {
namespace {

using test::ClientRequest;
using test::ClientResponse;

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log::init("warn", "text");
    ts.router.add("GET", "/echo/{id}", [](const Request& r) {
      nlohmann::json j = {{"method", r.method},
                          {"path", r.path},
                          {"query", r.query},
                          {"route", r.route},
                          {"id", r.path_params.at("id")},
                          {"custom", r.header("x-custom", "absent")},
                          {"request_id", r.request_id}};
      return json_response(200, j.dump());
    });
    ts.router.add("POST", "/echo", [](const Request& r) {
      Response resp = text_response(201, r.body);
      resp.headers.emplace_back("X-Body-Length", std::to_string(r.body.size()));
      return resp;
    });
    ts.router.add("GET", "/boom", [](const Request&) -> Response {
      throw std::runtime_error("password=hunter2 leaked?");
    });
    ts.router.add("GET", "/log", [](const Request&) {
      log::warn("inside handler");
      return json_response(200, "{}");
    });
    settings.max_body_bytes = 1024;
    ts.start(settings);
  }

  nlohmann::json json_of(const ClientResponse& r) {
    try {
      return nlohmann::json::parse(r.body);
    } catch (const std::exception& e) {
      ADD_FAILURE() << "not JSON: " << r.body;
      return nlohmann::json::object();
    }
  }

  void expect_problem(const ClientResponse& r, int status, const std::string& instance) {
    EXPECT_EQ(r.status, status);
    EXPECT_EQ(r.header("content-type"), "application/problem+json");
    auto doc = json_of(r);
    EXPECT_EQ(doc.value("type", ""), "about:blank");
    EXPECT_EQ(doc.value("status", 0), status);
    EXPECT_EQ(doc.value("title", ""), std::string(reason_phrase(status)));
    EXPECT_EQ(doc.value("instance", ""), instance);
    EXPECT_FALSE(doc.value("detail", "").empty());
    EXPECT_FALSE(r.header("x-request-id").empty());
  }

  ClientResponse post(const std::string& path, std::string body, bool chunked,
                      std::vector<std::string> headers = {}) {
    ClientRequest req;
    req.method = "POST";
    req.url = test::url(ts.port(), path);
    req.body = std::move(body);
    req.chunked = chunked;
    req.headers = std::move(headers);
    return perform(req);
  }

  HttpServerSettings settings;
  test::TestServer ts;
};

TEST_F(HttpServerTest, RoutesWithParamsQueryAndHeaders) {
  auto r = test::get(ts.port(), "/echo/a%20b?x=1&y=caf%C3%A9", {"X-Custom: yes"});
  ASSERT_EQ(r.curl_code, CURLE_OK) << r.curl_error;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("content-type"), "application/json");
  auto j = json_of(r);
  EXPECT_EQ(j["method"], "GET");
  EXPECT_EQ(j["path"], "/echo/a b");
  EXPECT_EQ(j["query"], "x=1&y=caf%C3%A9");
  EXPECT_EQ(j["route"], "/echo/{id}");
  EXPECT_EQ(j["id"], "a b");
  EXPECT_EQ(j["custom"], "yes");
  EXPECT_EQ(j["request_id"], r.header("x-request-id"));
}

TEST_F(HttpServerTest, PostBodyArrivesWholeWithAndWithoutChunking) {
  std::string body(1000, 'x');
  body += "end";
  for (bool chunked : {false, true}) {
    auto r = post("/echo", body, chunked);
    ASSERT_EQ(r.curl_code, CURLE_OK) << r.curl_error;
    EXPECT_EQ(r.status, 201) << "chunked=" << chunked;
    EXPECT_EQ(r.body, body);
    EXPECT_EQ(r.header("content-type"), "text/plain; charset=utf-8");
    EXPECT_EQ(r.header("x-body-length"), std::to_string(body.size()));
  }
}

TEST_F(HttpServerTest, BodyExactlyAtTheLimitIsAccepted) {
  auto r = post("/echo", std::string(1024, 'a'), false);
  EXPECT_EQ(r.status, 201);
  r = post("/echo", std::string(1024, 'a'), true);
  EXPECT_EQ(r.status, 201);
}

TEST_F(HttpServerTest, OversizedBodyWithContentLengthIs413) {
  // Expect: 100-continue lets the server refuse before the upload; without it a client may
  // still be writing when the server closes and see a reset instead of the 413.
  auto r = post("/echo", std::string(64 * 1024, 'a'), false, {"Expect: 100-continue"});
  ASSERT_EQ(r.curl_code, CURLE_OK) << r.curl_error;
  expect_problem(r, 413, "/echo");
  EXPECT_NE(json_of(r).value("detail", "").find("1024"), std::string::npos);
}

TEST_F(HttpServerTest, OversizedChunkedBodyIs413) {
  auto r = post("/echo", std::string(64 * 1024, 'a'), true);
  ASSERT_EQ(r.curl_code, CURLE_OK) << r.curl_error;
  expect_problem(r, 413, "/echo");
  // The connection-level state is per request: a normal request right after still works.
  EXPECT_EQ(post("/echo", "ok", true).status, 201);
}

TEST_F(HttpServerTest, UnknownRouteIs404ProblemJson) {
  auto r = test::get(ts.port(), "/nope/here?x=1");
  ASSERT_EQ(r.curl_code, CURLE_OK) << r.curl_error;
  expect_problem(r, 404, "/nope/here");
  EXPECT_TRUE(r.header("allow").empty());
}

TEST_F(HttpServerTest, WrongMethodIs405WithAllowHeader) {
  ClientRequest req;
  req.method = "DELETE";
  req.url = test::url(ts.port(), "/echo/7");
  auto r = perform(req);
  ASSERT_EQ(r.curl_code, CURLE_OK) << r.curl_error;
  expect_problem(r, 405, "/echo/7");
  EXPECT_EQ(r.header("allow"), "GET, HEAD");

  req.url = test::url(ts.port(), "/echo");
  r = perform(req);
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.header("allow"), "POST");
}

TEST_F(HttpServerTest, HeadIsServedByGetRouteWithoutBody) {
  ClientRequest req;
  req.method = "HEAD";
  req.url = test::url(ts.port(), "/echo/1");
  auto r = perform(req);
  ASSERT_EQ(r.curl_code, CURLE_OK) << r.curl_error;
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.body.empty());
  EXPECT_FALSE(r.header("x-request-id").empty());
}

TEST_F(HttpServerTest, HandlerExceptionIs500WithoutLeakingIt) {
  auto r = test::get(ts.port(), "/boom", {"X-Request-Id: trace-me"});
  ASSERT_EQ(r.curl_code, CURLE_OK) << r.curl_error;
  expect_problem(r, 500, "/boom");
  EXPECT_EQ(r.body.find("hunter2"), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find("password"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("trace-me"), std::string::npos) << "detail should quote the request id";
}

TEST_F(HttpServerTest, RequestIdIsEchoedWhenSane) {
  auto r = test::get(ts.port(), "/echo/1", {"X-Request-Id: client-id 42/abc"});
  EXPECT_EQ(r.header("x-request-id"), "client-id 42/abc");
  EXPECT_EQ(json_of(r)["request_id"], "client-id 42/abc");
}

TEST_F(HttpServerTest, RequestIdIsGeneratedAndUniqueWhenAbsentOrInsane) {
  std::set<std::string> ids;
  const std::regex hex32("[0-9a-f]{32}");
  for (int i = 0; i < 20; ++i) {
    auto r = test::get(ts.port(), "/echo/1");
    std::string id = r.header("x-request-id");
    EXPECT_TRUE(std::regex_match(id, hex32)) << id;
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 20u);

  auto too_long = test::get(ts.port(), "/echo/1", {"X-Request-Id: " + std::string(201, 'a')});
  EXPECT_TRUE(std::regex_match(too_long.header("x-request-id"), hex32));
  auto non_ascii = test::get(ts.port(), "/echo/1", {"X-Request-Id: caf\xc3\xa9"});
  EXPECT_TRUE(std::regex_match(non_ascii.header("x-request-id"), hex32));
  auto max_len = test::get(ts.port(), "/echo/1", {"X-Request-Id: " + std::string(200, 'b')});
  EXPECT_EQ(max_len.header("x-request-id"), std::string(200, 'b'));
}

TEST_F(HttpServerTest, LogLinesCarryTheRequestId) {
  log::init("info", "json");
  testing::internal::CaptureStderr();
  auto r = test::get(ts.port(), "/log", {"X-Request-Id: rid-log-1"});
  std::string err = testing::internal::GetCapturedStderr();
  log::init("warn", "text");
  ASSERT_EQ(r.status, 200);
  std::istringstream lines(err);
  std::string line;
  bool handler_line = false, access_line = false;
  while (std::getline(lines, line)) {
    if (line.find("\"request_id\":\"rid-log-1\"") == std::string::npos) continue;
    if (line.find("inside handler") != std::string::npos) handler_line = true;
    if (line.find("\"msg\":\"http request\"") != std::string::npos &&
        line.find("\"status\":\"200\"") != std::string::npos &&
        line.find("\"path\":\"/log\"") != std::string::npos &&
        line.find("\"duration_ms\":") != std::string::npos)
      access_line = true;
  }
  EXPECT_TRUE(handler_line) << err;
  EXPECT_TRUE(access_line) << err;
}

TEST_F(HttpServerTest, RequestsAreCountedByRoutePatternMethodAndStatus) {
  test::get(ts.port(), "/echo/1");
  test::get(ts.port(), "/echo/2");
  test::get(ts.port(), "/missing/1");
  test::get(ts.port(), "/missing/2");
  test::get(ts.port(), "/boom");
  ClientRequest brew;
  brew.method = "BREW";
  brew.url = test::url(ts.port(), "/echo/1");
  perform(brew);

  test::PromExposition exp;
  std::string text = ts.metrics.render();
  ASSERT_EQ(test::parse_prometheus_text(text, exp), "") << text;
  ASSERT_EQ(test::check_histograms(exp), "") << text;
  const std::string total = "reos_http_requests_total";
  EXPECT_EQ(exp.value(total, {{"route", "/echo/{id}"}, {"method", "GET"}, {"status", "200"}}), 2.0);
  EXPECT_EQ(exp.value(total, {{"route", "unmatched"}, {"method", "GET"}, {"status", "404"}}), 2.0);
  EXPECT_EQ(exp.value(total, {{"route", "/boom"}, {"method", "GET"}, {"status", "500"}}), 1.0);
  EXPECT_EQ(exp.value(total, {{"route", "unmatched"}, {"method", "other"}, {"status", "405"}}),
            1.0);
  EXPECT_EQ(exp.value("reos_http_request_duration_seconds_count",
                      {{"route", "/echo/{id}"}, {"method", "GET"}}),
            2.0);
  // Nothing in flight between requests (a connection's completion may trail its response).
  for (int i = 0;
       i < 100 && ts.metrics.render().find("reos_http_requests_in_flight 0\n") == std::string::npos;
       ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_NE(ts.metrics.render().find("reos_http_requests_in_flight 0\n"), std::string::npos);
}

TEST_F(HttpServerTest, ServesConcurrentClients) {
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        auto r = test::get(ts.port(), "/echo/" + std::to_string(t * 100 + i));
        if (r.status == 200 && json_of(r)["id"] == std::to_string(t * 100 + i)) ++ok;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 80);
}

TEST(HttpServerStart, ReportsAddressInUse) {
  test::TestServer first;
  first.router.add("GET", "/", [](const Request&) { return json_response(200, "{}"); });
  first.start();
  HttpServerSettings s;
  s.bind = "127.0.0.1";
  s.port = first.port();
  HttpServer second(s, first.router, first.metrics);
  try {
    second.start();
    FAIL() << "second server bound a port already in use";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "http: cannot listen on 127.0.0.1:" +
                                         std::to_string(first.port()) + ": Address already in use");
  }
  EXPECT_FALSE(second.running());
  // The first server is unaffected.
  EXPECT_EQ(test::get(first.port(), "/").status, 200);
}

TEST(HttpServerStart, ReportsUnresolvableAddress) {
  Router router;
  MetricsRegistry metrics;
  HttpServerSettings s;
  s.bind = "256.1.2.3";
  s.port = 0;
  HttpServer server(s, router, metrics);
  try {
    server.start();
    FAIL() << "bound an invalid address";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()).rfind("http: cannot listen on 256.1.2.3:0: ", 0), 0u)
        << e.what();
  }
}

TEST(HttpServerStart, PortIsZeroBeforeStartAndRealAfter) {
  test::TestServer ts;
  ts.router.add("GET", "/", [](const Request&) { return json_response(200, "{}"); });
  HttpServer idle({}, ts.router, ts.metrics);
  EXPECT_EQ(idle.port(), 0);
  EXPECT_FALSE(idle.running());
  ts.start();
  EXPECT_GT(ts.port(), 0);
  EXPECT_TRUE(ts.server->running());
  EXPECT_THROW(ts.server->start(), std::logic_error);
}

}  // namespace
}  // namespace reos::http
