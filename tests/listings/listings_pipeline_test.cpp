// End to end: the file_feed plugin reads a King County CSV (the first 50 sales plus two bad
// rows), the pipeline normalizes it with connectors/mls/kc_csv.yaml, upserts `properties`
// and enqueues listing.* jobs; bad rows are quarantined with the reason; a re-sync of the
// same file writes nothing; a price change makes one listing.price_changed change; a crash
// between pages keeps the pages committed before it and the resumed pull lands each row once.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <pqxx/pqxx>
#include <sstream>
#include <string_view>

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

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class ListingsPipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> n{0};
    dir_ = (fs::temp_directory_path() /
            ("reos-listings-" + std::to_string(::getpid()) + "-" + std::to_string(n++)))
               .string();
    fs::create_directories(dir_ + "/tenants");
    head_ = read(REOS_SOURCE_DIR "/tests/listings/fixtures/kc_head.csv");
    write_feed(head_ +
               "\"1000000001\",\"20141013T000000\",12O000,3,1,1180,5650,\"1\",0,0,3,7,1180,0,"
               "1955,0,\"98178\",47.5112,-122.257,1340,5650\n"
               "\"1000000002\",\"20141013T000000\",221900,3\n");
    std::ofstream(dir_ + "/hub.yaml")
        << "plugin_dirs: [\"" REOS_PLUGIN_DIR
           "\"]\ntenants_dir: tenants\n"
           "blobs: { dir: blobs }\nlog: { level: warn, format: json }\n";
    std::ofstream(dir_ + "/tenants/acme.yaml")
        << "id: acme\nname: Acme\nconnectors:\n"
           "  - id: kc-sales\n    plugin: file_feed\n"
           "    settings: { path: \""
        << dir_
        << "/feed.csv\", format: csv, batch_size: 20 }\n"
           "pipelines:\n  - id: listings\n    record_type: property\n"
           "    sources: [{ connector: kc-sales, schedule: \"every 4h\" }]\n"
           "    stages: { normalize: { field_map: connectors/mls/kc_csv.yaml } }\n";
    // The field map is found from the tenant file upwards: put connectors/ beside it.
    fs::create_directories(dir_ + "/connectors/mls");
    fs::copy_file(REOS_SOURCE_DIR "/connectors/mls/kc_csv.yaml",
                  dir_ + "/connectors/mls/kc_csv.yaml");

    conninfo_ = db_.conninfo();
    test::migrate_to_current(conninfo_);
    hub_ = config::load_hub_config(dir_ + "/hub.yaml", {"REOS_DATABASE__URL=" + conninfo_});
    conn_ = db::connect(conninfo_);
    db::sync_tenants_from_config(*conn_, hub_);
    pool_ = std::make_unique<db::ConnectionPool>(conninfo_, 4);
    registry_ = std::make_unique<plugin_runtime::ConnectorRegistry>();
    const auto plugins = plugin_runtime::scan_plugin_dirs(hub_.plugin_dirs);
    plugin_runtime::start_connectors(hub_, plugins, *pool_, metrics_, *registry_);
    for (const auto& e : registry_->entries()) ASSERT_TRUE(e.instance) << e.error;
    queue_ = std::make_unique<queue::JobQueue>(queue::backoff_policy_from_config(hub_.queue));
    pipeline_exec::PipelineRuntimeOptions options;
    options.fault_injection = [this](std::string_view point) {
      if (fault_) fault_(point);
    };
    runtime_ = std::make_unique<pipeline_exec::PipelineRuntime>(hub_, *registry_, *pool_, metrics_,
                                                                options);
  }

  void TearDown() override {
    runtime_.reset();
    registry_.reset();
    conn_.reset();
    if (pool_) pool_->close();
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  void write_feed(const std::string& text) { std::ofstream(dir_ + "/feed.csv") << text; }

  /// Enqueues a pull and runs source.pull / pipeline.process jobs until none is due.
  void sync(const std::string& key) {
    queue_->enqueue(*conn_, "acme", pipeline_exec::kSourcePull,
                    R"({"tenant":"acme","pipeline":"listings","connector":"kc-sales"})", key);
    const auto handlers = pipeline_exec::pipeline_handlers(*runtime_);
    for (bool ran = true; ran;) {
      ran = false;
      for (const std::string kind : {pipeline_exec::kSourcePull, pipeline_exec::kPipelineProcess}) {
        const auto jobs = queue_->claim(*conn_, "t", {kind}, 1, std::chrono::seconds(30));
        if (jobs.empty()) continue;
        ran = true;
        const queue::JobOutcome out = handlers.at(kind)(jobs.front());
        ASSERT_EQ(out.kind, queue::JobOutcome::Kind::ok) << kind << ": " << out.message;
        ASSERT_TRUE(queue_->complete(*conn_, jobs.front().id, "t"));
      }
    }
  }

  /// Listing changes of `event` in the queued event jobs (one job carries a page's changes).
  long long changes(const std::string& event) {
    return scalar(
        "SELECT coalesce(sum(jsonb_array_length(payload->'changes')), 0) FROM jobs"
        " WHERE kind LIKE '" +
        event + "'");
  }

  long long scalar(const std::string& sql) {
    pqxx::work tx(*conn_);
    return tx.exec1(sql)[0].as<long long>();
  }
  std::string text(const std::string& sql) {
    pqxx::work tx(*conn_);
    return tx.exec1(sql)[0].as<std::string>();
  }

  std::string dir_, head_, conninfo_;
  test::TestDatabase db_;
  config::HubConfig hub_;
  db::ConnectionPtr conn_;
  std::unique_ptr<db::ConnectionPool> pool_;
  http::MetricsRegistry metrics_;
  std::unique_ptr<plugin_runtime::ConnectorRegistry> registry_;
  std::unique_ptr<queue::JobQueue> queue_;
  std::unique_ptr<pipeline_exec::PipelineRuntime> runtime_;
  std::function<void(std::string_view)> fault_;  ///< the runtime's fault injection (tests)
};

TEST_F(ListingsPipelineTest, CsvToPropertiesEventsAndQuarantine) {
  sync("tick-1");
  EXPECT_EQ(scalar("SELECT count(*) FROM properties WHERE tenant_id = 'acme'"), 50);
  // Normalize and store only: the pull stores its pages itself (docs/pipeline-execution.md),
  // 20+20+12 rows in 3 pages, and one listing.created job per page carries its changes.
  EXPECT_EQ(scalar("SELECT count(*) FROM jobs WHERE kind = 'pipeline.process'"), 0);
  EXPECT_EQ(scalar("SELECT sum(pages) FROM sync_runs"), 3);
  EXPECT_EQ(changes("listing.created"), 50);
  EXPECT_EQ(scalar("SELECT count(*) FROM jobs WHERE kind = 'listing.created'"), 3);
  EXPECT_EQ(scalar("SELECT count(*) FROM property_history WHERE change = 'created'"), 50);
  EXPECT_EQ(text("SELECT data->>'City' || ' ' || list_price::bigint || ' ' || standard_status"
                 " FROM properties WHERE listing_key = '7237550310-2014-05-12'"),
            "Redmond 1225000 Closed");
  EXPECT_EQ(scalar("SELECT count(*) FROM properties WHERE geog IS NULL"), 0);
  EXPECT_EQ(scalar("SELECT count(*) FROM quarantine WHERE stage = 'normalize'"), 2);
  EXPECT_EQ(text("SELECT string_agg(reason, ' | ' ORDER BY reason) FROM quarantine"),
            "normalize: ClosePrice: '12O000' is not a number | normalize: malformed source row "
            "at line 53: expected 21 columns, found 4");

  // The file has not changed: the next pull reads nothing.
  sync("tick-1b");
  EXPECT_EQ(scalar("SELECT sum(pages) FROM sync_runs"), 3);
  EXPECT_EQ(text("SELECT state->>'cursor' FROM connectors WHERE id = 'kc-sales'").rfind("end:", 0),
            0u);

  // The file changed (bad rows gone, same listings): a new pass, nothing written, no event.
  write_feed(head_ + "\n");
  sync("tick-2");
  EXPECT_GT(scalar("SELECT sum(pages) FROM sync_runs"), 3);
  EXPECT_EQ(changes("listing.%"), 50);
  EXPECT_EQ(scalar("SELECT count(*) FROM property_history"), 50);

  // One price change.
  std::string changed = head_;
  changed.replace(changed.find(",221900,"), 8, ",215000,");
  write_feed(changed);
  sync("tick-3");
  EXPECT_EQ(changes("listing.price_changed"), 1);
  EXPECT_EQ(text("SELECT (c->>'old_value') || '>' || (c->>'new_value')"
                 " FROM jobs, jsonb_array_elements(payload->'changes') c"
                 " WHERE kind = 'listing.price_changed'"),
            "221900>215000");
  EXPECT_EQ(changes("listing.%"), 51);
  EXPECT_EQ(scalar("SELECT count(*) FROM properties"), 50);
}

TEST_F(ListingsPipelineTest, ACrashBetweenPagesKeepsTheCommittedOnesAndTheResumeLandsEachOnce) {
  // The pull goes on with the next page itself; the worker dies before page 2 commits.
  int commits = 0;
  fault_ = [&](std::string_view point) {
    if (point == "source.pull:before-commit" && ++commits == 2)
      throw std::runtime_error("injected crash before page 2 commits");
  };
  queue_->enqueue(*conn_, "acme", pipeline_exec::kSourcePull,
                  R"({"tenant":"acme","pipeline":"listings","connector":"kc-sales"})", "first");
  const auto handlers = pipeline_exec::pipeline_handlers(*runtime_);
  const auto jobs =
      queue_->claim(*conn_, "t", {pipeline_exec::kSourcePull}, 1, std::chrono::seconds(30));
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_THROW(handlers.at(pipeline_exec::kSourcePull)(jobs.front()), std::runtime_error);
  EXPECT_EQ(scalar("SELECT count(*) FROM properties"), 20) << "page 1 stays, page 2 is gone";
  EXPECT_EQ(scalar("SELECT count(*) FROM property_history"), 20);
  EXPECT_EQ(changes("listing.created"), 20);
  EXPECT_EQ(text("SELECT pages || ' ' || fetched FROM sync_runs"), "1 20");
  const std::string after_page_1 = text("SELECT state->>'cursor' FROM connectors");
  EXPECT_NE(after_page_1, "");
  EXPECT_NE(after_page_1.rfind("end:", 0), 0u) << after_page_1;

  // The job runs again (as after its lease expired) from the committed cursor: pages 2 and 3.
  fault_ = nullptr;
  ASSERT_EQ(queue_->release(*conn_, {jobs.front().id}, "t").size(), 1u);
  sync("after-crash");
  EXPECT_EQ(text("SELECT count(*) || ' ' || count(DISTINCT listing_key) FROM properties"), "50 50");
  EXPECT_EQ(scalar("SELECT count(*) FROM property_history WHERE change = 'created'"), 50);
  EXPECT_EQ(changes("listing.created"), 50);
  EXPECT_EQ(scalar("SELECT count(*) FROM quarantine"), 2);
  EXPECT_EQ(text("SELECT pages || ' ' || fetched || ' ' || (finished_at IS NOT NULL) FROM"
                 " sync_runs WHERE run_key = 'job:' || " +
                 std::to_string(jobs.front().id)),
            "3 52 true")
      << "the resumed job carries on its run";
}

}  // namespace
}  // namespace reos::listings
