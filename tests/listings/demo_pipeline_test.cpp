// The demo tenant (config/demo/tenants/demo.yaml) as `scripts/run.sh` runs it — working
// directory = the repository, the real plugins (file_feed, hello_enricher_c, rules_scorer_cpp
// out of process) — on the whole King County file: every sale becomes a property.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <pqxx/pqxx>

#include "config/hub_config.hpp"
#include "db/config_sync.hpp"
#include "db/connection_pool.hpp"
#include "http/metrics_registry.hpp"
#include "pipeline_exec/job_kinds.hpp"
#include "pipeline_exec/pipeline_handlers.hpp"
#include "pipeline_exec/pipeline_runtime.hpp"
#include "plugin_runtime/connector_registry.hpp"
#include "plugin_runtime/connector_startup.hpp"
#include "plugin_runtime/plugin_scan.hpp"
#include "queue/job_queue.hpp"
#include "queue/job_workers.hpp"
#include "support/test_database.hpp"

namespace reos::listings {
namespace {

namespace fs = std::filesystem;

TEST(DemoPipeline, TheWholeKingCountyFileBecomesProperties) {
  const std::string csv = REOS_SOURCE_DIR "/../shared/data/kc_house_data.csv";
  ASSERT_TRUE(fs::exists(csv)) << csv
                               << " is missing: the demo reads shared/data beside the checkout";
  ASSERT_EQ(::chdir(REOS_SOURCE_DIR), 0);  // as scripts/run.sh
  ::setenv("REOS_PLUGIN_HOST", REOS_PLUGIN_HOST_BINARY, 1);
  const std::string dir =
      (fs::temp_directory_path() / ("reos-demo-" + std::to_string(::getpid()))).string();
  fs::create_directories(dir);
  std::ofstream(dir + "/hub.yaml") << "plugin_dirs: [\"" REOS_PLUGIN_DIR
                                      "\"]\n"
                                      "tenants_dir: \"" REOS_SOURCE_DIR
                                      "/config/demo/tenants\"\n"
                                      "blobs: { dir: blobs }\nlog: { level: warn, format: json }\n";
  test::TestDatabase db;
  test::migrate_to_current(db.conninfo());
  const config::HubConfig hub =
      config::load_hub_config(dir + "/hub.yaml", {"REOS_DATABASE__URL=" + db.conninfo()});
  auto conn = db::connect(db.conninfo());
  db::sync_tenants_from_config(*conn, hub);
  db::ConnectionPool pool(db.conninfo(), 4);
  http::MetricsRegistry metrics;
  {
    plugin_runtime::ConnectorRegistry registry;
    plugin_runtime::start_connectors(hub, plugin_runtime::scan_plugin_dirs(hub.plugin_dirs), pool,
                                     metrics, registry);
    const queue::JobQueue queue(queue::backoff_policy_from_config(hub.queue));
    pipeline_exec::PipelineRuntime runtime(hub, registry, pool, metrics);
    const auto handlers = pipeline_exec::pipeline_handlers(runtime);
    queue.enqueue(*conn, "demo-brokerage", pipeline_exec::kSourcePull,
                  R"({"tenant":"demo-brokerage","pipeline":"listings","connector":"kc-sales"})",
                  "demo-1");
    const auto start = std::chrono::steady_clock::now();
    for (bool ran = true; ran;) {
      ran = false;
      for (const std::string kind : {pipeline_exec::kSourcePull, pipeline_exec::kPipelineProcess}) {
        const auto jobs = queue.claim(*conn, "t", {kind}, 1, std::chrono::seconds(300));
        if (jobs.empty()) continue;
        ran = true;
        const queue::JobOutcome out = handlers.at(kind)(jobs.front());
        ASSERT_EQ(out.kind, queue::JobOutcome::Kind::ok) << kind << ": " << out.message;
        ASSERT_TRUE(queue.complete(*conn, jobs.front().id, "t"));
      }
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    pqxx::work tx(*conn);
    const auto count = [&](const std::string& sql) { return tx.exec1(sql)[0].as<long long>(); };
    std::printf(
        "demo: 21613 rows → %lld properties, %lld quarantined, %lld listing.created in "
        "%.1f s\n",
        count("SELECT count(*) FROM properties"), count("SELECT count(*) FROM quarantine"),
        count("SELECT sum(jsonb_array_length(payload->'changes')) FROM jobs"
              " WHERE kind = 'listing.created'"),
        seconds);
    EXPECT_EQ(count("SELECT count(*) FROM properties WHERE tenant_id = 'demo-brokerage'"), 21613);
    EXPECT_EQ(count("SELECT count(DISTINCT data->>'ListingId') FROM properties"), 21436);
    EXPECT_EQ(count("SELECT count(*) FROM quarantine"), 0);
    EXPECT_EQ(count("SELECT sum(jsonb_array_length(payload->'changes')) FROM jobs"
                    " WHERE kind = 'listing.created'"),
              21613);
    EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE kind = 'pipeline.process'"), 9);
    EXPECT_EQ(count("SELECT round(avg(list_price)) FROM properties"), 540088);
    EXPECT_EQ(count("SELECT count(*) FROM properties WHERE city IS NULL OR geog IS NULL"), 0);
  }
  pool.close();
  std::error_code ignored;
  fs::remove_all(dir, ignored);
}

}  // namespace
}  // namespace reos::listings
