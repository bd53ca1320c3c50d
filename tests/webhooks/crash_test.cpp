// SIGKILL `reos serve` while clients post signed webhooks, restart it, and check that every
// event that got a 2xx is in the inbox exactly once and is processed exactly once.
// (The long version is bench/webhooks' crash run.)
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <pqxx/pqxx>
#include <set>
#include <sstream>
#include <thread>

#include "db/connection_pool.hpp"
#include "signing.hpp"
#include "support/child_process.hpp"
#include "support/http_client.hpp"
#include "support/test_database.hpp"
#include "webhook_hub.hpp"

using namespace std::chrono_literals;
using reos::test::BackgroundProcess;

namespace {

std::unique_ptr<BackgroundProcess> start_serve(const reos::test::ScratchDir& dir,
                                               const std::string& conninfo, int port) {
  auto p = std::make_unique<BackgroundProcess>(
      std::vector<std::string>{REOS_BINARY, "--config", dir.file("hub.yaml"), "serve"},
      std::vector<std::string>{"REOS_DATABASE__URL=" + conninfo,
                               "REOS_HTTP__PORT=" + std::to_string(port)});
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (reos::test::get(port, "/healthz").status != 200) {
    EXPECT_TRUE(p->running()) << p->stderr_text();
    if (!p->running() || std::chrono::steady_clock::now() > deadline) {
      ADD_FAILURE() << "reos serve did not come up: " << p->stderr_text();
      break;
    }
    std::this_thread::sleep_for(50ms);
  }
  return p;
}

std::int64_t scalar(const std::string& conninfo, const std::string& sql) {
  auto conn = reos::db::connect(conninfo);
  pqxx::work tx(*conn);
  return tx.exec1(sql)[0].as<std::int64_t>();
}

}  // namespace

TEST(WebhookCrash, EveryAcknowledgedEventSurvivesASigkillExactlyOnce) {
  reos::test::ScratchDir dir;
  reos::test::TestDatabase db;
  reos::test::migrate_to_current(db.conninfo());
  reos::test::write_webhook_config(dir, 2);
  const int port = reos::test::free_tcp_port();
  auto serve = start_serve(dir, db.conninfo(), port);

  std::mutex mutex;
  std::set<std::string> acknowledged;
  std::atomic<bool> stop{false};
  std::vector<std::thread> clients;
  for (int c = 0; c < 4; ++c) {
    clients.emplace_back([&, c] {
      for (int n = 0; !stop; ++n) {
        const std::string id = "crash_" + std::to_string(c) + "_" + std::to_string(n);
        const std::string body = "{\"n\":" + std::to_string(n) + "}";
        reos::test::ClientRequest req;
        req.method = "POST";
        req.url = reos::test::url(port, "/webhooks/acme/hooks");
        req.body = body;
        req.headers = reos::test::signed_headers(reos::test::kSecretA, id, body);
        req.timeout_ms = 3000;
        if (reos::test::perform(req).status == 200) {
          std::lock_guard lock(mutex);
          acknowledged.insert(id);
        }
      }
    });
  }
  std::this_thread::sleep_for(1500ms);
  serve->signal(SIGKILL);
  serve->wait(5s);
  std::this_thread::sleep_for(200ms);
  stop = true;
  for (auto& t : clients) t.join();
  ASSERT_GT(acknowledged.size(), 20u) << "too little load before the kill";

  serve = start_serve(dir, db.conninfo(), port);
  const std::int64_t events = scalar(db.conninfo(), "SELECT count(*) FROM webhook_events");
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (scalar(db.conninfo(), "SELECT count(*) FROM webhook_events WHERE status <> 'processed'") >
             0 ||
         scalar(db.conninfo(),
                "SELECT count(*) FROM jobs WHERE status NOT IN ('succeeded', "
                "'failed', 'dead')") > 0) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << serve->stderr_text();
    std::this_thread::sleep_for(100ms);
  }
  serve->signal(SIGTERM);
  EXPECT_EQ(serve->wait(20s), 0) << serve->stderr_text();

  // Every 2xx'd event is stored exactly once (and nothing is stored twice).
  auto conn = reos::db::connect(db.conninfo());
  pqxx::work tx(*conn);
  std::map<std::string, int> stored;
  for (const auto& row : tx.exec("SELECT provider_event_id FROM webhook_events"))
    stored[row[0].as<std::string>()]++;
  for (const auto& id : acknowledged) EXPECT_EQ(stored[id], 1) << id << " was acknowledged";
  EXPECT_EQ(static_cast<std::int64_t>(stored.size()), events);
  // Each event reached the pipeline once: one sink per event in the outbox, and no record
  // was notified twice (a notification cut by the kill itself may be lost: at most once).
  EXPECT_EQ(tx.exec1("SELECT count(*) FROM jobs WHERE kind = 'sink.notify'")[0].as<std::int64_t>(),
            events);
  std::map<std::string, int> notified;
  std::ifstream log(dir.file("side.log"));
  for (std::string line; std::getline(log, line);) {
    std::istringstream in(line);
    std::string what, id;
    in >> what >> id;
    notified[id]++;
  }
  for (const auto& [id, n] : notified) EXPECT_EQ(n, 1) << id;
  EXPECT_GE(notified.size() + 5, static_cast<std::size_t>(events));
  std::cout << "[ figures  ] acknowledged " << acknowledged.size() << ", stored " << events
            << ", notified " << notified.size() << "\n";
}
