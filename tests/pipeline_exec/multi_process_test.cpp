// Several `reos serve` processes sharing one database: every record's side effect happens
// exactly once, none is lost.
#include <gtest/gtest.h>
#include <signal.h>

#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <thread>

#include "pipeline_fixture.hpp"
#include "support/child_process.hpp"

using reos::test::BackgroundProcess;
using reos::test::PipelineFixture;
using namespace std::chrono_literals;

namespace {

// Two sources of 3 pages × 50 records (300 records). Seattle (every third) → notify: 100;
// every record → export: 300.
std::string two_sources_tenant() {
  return "id: acme\nname: Acme\nconnectors:\n"
         "  - id: src-a\n    plugin: counting_source\n"
         "    settings: { pages: 3, per_page: 50, prefix: A }\n"
         "  - id: src-b\n    plugin: counting_source\n"
         "    settings: { pages: 3, per_page: 50, prefix: B }\n"
         "  - id: vendor\n    plugin: counting_enricher\n    settings: {}\n"
         "  - id: mailer\n    plugin: counting_notifier\n"
         "    settings: { log: \"{dir}/side.log\" }\n"
         "pipelines:\n"
         "  - id: listings\n    record_type: property\n"
         "    sources:\n"
         "      - { connector: src-a, schedule: \"every 4h\" }\n"
         "      - { connector: src-b, schedule: \"every 4h\" }\n"
         "    stages: { enrich: [vendor] }\n"
         "    routes:\n"
         "      - id: seattle\n        when: 'City == \"Seattle\"'\n"
         "        to: [{ notifier: mailer }]\n"
         "      - id: crm\n        to: [{ exporter: mailer }]\n";
}

void every_side_effect_exactly_once(int processes) {
  PipelineFixture f(two_sources_tenant());
  std::vector<std::unique_ptr<BackgroundProcess>> workers;
  for (int i = 0; i < processes; ++i) {
    workers.push_back(std::make_unique<BackgroundProcess>(
        std::vector<std::string>{REOS_BINARY, "--config", f.hub_path(), "serve"},
        std::vector<std::string>{"REOS_DATABASE__URL=" + f.conninfo(), "REOS_HTTP__PORT=0",
                                 "REOS_LOG__FORMAT=json"}));
  }
  f.enqueue_pull("listings", "src-a", "tick-a");
  f.enqueue_pull("listings", "src-b", "tick-b");
  const auto deadline = std::chrono::steady_clock::now() + 90s;
  while (f.scalar("SELECT count(*) FROM jobs WHERE status <> 'succeeded'") > 0 ||
         f.scalar("SELECT count(*) FROM jobs WHERE kind LIKE 'sink.%'") < 400) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline)
        << "jobs: "
        << f.text(
               "SELECT string_agg(kind || ':' || status || ':' || n || ':' || e, ' | ') FROM "
               "(SELECT kind, status, count(*) AS n, max(coalesce(last_error, '')) AS e FROM "
               "jobs GROUP BY kind, status) s")
        << "\n"
        << workers[0]->stderr_text();
    for (auto& w : workers) ASSERT_TRUE(w->running()) << w->stderr_text();
    std::this_thread::sleep_for(50ms);
  }
  for (auto& w : workers) w->signal(SIGTERM);
  for (auto& w : workers) EXPECT_EQ(w->wait(20s), 0) << w->stderr_text();

  std::map<std::string, int> notified, exported;
  std::set<std::string> pids;
  for (const auto& line : f.lines("side.log")) {
    std::istringstream in(line);
    std::string what, id, pid;
    in >> what >> id >> pid;
    (what == "notify" ? notified : exported)[id]++;
    pids.insert(pid);
  }
  EXPECT_EQ(notified.size(), 100u) << "a matching record was never notified";
  EXPECT_EQ(exported.size(), 300u) << "a record was never exported";
  for (const auto& [id, count] : notified) EXPECT_EQ(count, 1) << id << " notified twice";
  for (const auto& [id, count] : exported) EXPECT_EQ(count, 1) << id << " exported twice";
  EXPECT_EQ(notified.count("A0") + notified.count("B147"), 2u);
  EXPECT_EQ(notified.count("A1"), 0u) << "a record the predicate rejects was notified";
  EXPECT_EQ(f.scalar("SELECT count(*) FROM outbox WHERE status = 'sent'"), 400);
  EXPECT_EQ(f.scalar("SELECT count(*) FROM jobs WHERE kind = 'pipeline.process'"), 6);
  EXPECT_EQ(f.text("SELECT string_agg(state->>'cursor', ',' ORDER BY id) FROM connectors WHERE "
                   "id LIKE 'src-%'"),
            "page-3,page-3");
  EXPECT_GE(pids.size(), 2u) << "the work should be shared between processes";
}

}  // namespace

TEST(PipelineProcesses, TwoProcessesSharingOneDatabaseMakeEverySideEffectOnce) {
  every_side_effect_exactly_once(2);
}

TEST(PipelineProcesses, ThreeProcessesSharingOneDatabaseMakeEverySideEffectOnce) {
  every_side_effect_exactly_once(3);
}
