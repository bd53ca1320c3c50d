// End to end through a tenant pipeline into PostgreSQL: the reso_webapi plugin (loaded from
// the plugin folder by the host's connector startup, real host services) pulls from
// ResoTestServer over HTTP; the pipeline normalizes with connectors/mls/reso_generic.yaml,
// upserts `properties` (with the listings' Media) with change detection and enqueues listing.*
// and photos.fetch jobs. A truncated page mid-sync leaves the cursor where the last committed
// page put it, and the next pull lands every listing exactly once.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
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
#include "reso_test_server.hpp"
#include "support/test_database.hpp"

namespace reos::test {
namespace {

namespace fs = std::filesystem;

class ResoPipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv("RESO_E2E_CLIENT_ID", "reos-client", 1);
    ::setenv("RESO_E2E_SECRET", "s3cret", 1);
    GeneratedListings g;
    g.count = 25;
    g.per_timestamp = 4;
    listings_ = generate_listings(g);
    auto all = listings_;
    for (auto& l : listings_from_payload(
             RESO_TESTDATA "/reso_web-api-commander_good-property-payload-count.json"))
      all.push_back(l);
    server_.set_listings(all);

    static std::atomic<int> n{0};
    dir_ = (fs::temp_directory_path() /
            ("reos-reso-" + std::to_string(::getpid()) + "-" + std::to_string(n++)))
               .string();
    fs::create_directories(dir_ + "/tenants");
    fs::create_directories(dir_ + "/connectors/mls");
    fs::copy_file(REOS_SOURCE_DIR "/connectors/mls/reso_generic.yaml",
                  dir_ + "/connectors/mls/reso_generic.yaml");
    std::ofstream(dir_ + "/hub.yaml")
        << "plugin_dirs: [\"" REOS_PLUGIN_DIR
           "\"]\ntenants_dir: tenants\n"
           "blobs: { dir: blobs }\nlog: { level: warn, format: json }\n";
    std::ofstream(dir_ + "/tenants/acme.yaml")
        << "id: acme\nname: Acme\nconnectors:\n"
           "  - id: reso-mls\n    plugin: reso_webapi\n    settings:\n"
           "      base_url: "
        << server_.base_url() << "\n      token_url: " << server_.token_url()
        << "\n      client_id: ${RESO_E2E_CLIENT_ID}\n      client_secret: ${RESO_E2E_SECRET}\n"
           "      page_size: 10\n"
           "pipelines:\n  - id: listings\n    record_type: property\n"
           "    sources: [{ connector: reso-mls, schedule: \"every 4h\" }]\n"
           "    stages: { normalize: { field_map: connectors/mls/reso_generic.yaml } }\n";

    conninfo_ = db_.conninfo();
    migrate_to_current(conninfo_);
    hub_ = config::load_hub_config(dir_ + "/hub.yaml", {"REOS_DATABASE__URL=" + conninfo_});
    conn_ = db::connect(conninfo_);
    db::sync_tenants_from_config(*conn_, hub_);
    pool_ = std::make_unique<db::ConnectionPool>(conninfo_, 4);
    registry_ = std::make_unique<plugin_runtime::ConnectorRegistry>();
    const auto plugins = plugin_runtime::scan_plugin_dirs(hub_.plugin_dirs);
    plugin_runtime::start_connectors(hub_, plugins, *pool_, metrics_, *registry_);
    for (const auto& e : registry_->entries()) ASSERT_TRUE(e.instance) << e.error;
    queue_ = std::make_unique<queue::JobQueue>(queue::backoff_policy_from_config(hub_.queue));
    runtime_ = std::make_unique<pipeline_exec::PipelineRuntime>(hub_, *registry_, *pool_, metrics_);
  }

  void TearDown() override {
    runtime_.reset();
    registry_.reset();
    conn_.reset();
    if (pool_) pool_->close();
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
    ::unsetenv("RESO_E2E_CLIENT_ID");
    ::unsetenv("RESO_E2E_SECRET");
  }

  /// Enqueues a pull and runs source.pull / pipeline.process jobs until none is due. Returns
  /// the first outcome that was not ok (the job is then marked failed), else ok.
  queue::JobOutcome sync(const std::string& key) {
    queue_->enqueue(*conn_, "acme", pipeline_exec::kSourcePull,
                    R"({"tenant":"acme","pipeline":"listings","connector":"reso-mls"})", key);
    const auto handlers = pipeline_exec::pipeline_handlers(*runtime_);
    for (bool ran = true; ran;) {
      ran = false;
      for (const std::string kind : {pipeline_exec::kSourcePull, pipeline_exec::kPipelineProcess}) {
        const auto jobs = queue_->claim(*conn_, "t", {kind}, 1, std::chrono::seconds(30));
        if (jobs.empty()) continue;
        ran = true;
        const queue::JobOutcome out = handlers.at(kind)(jobs.front());
        if (out.kind != queue::JobOutcome::Kind::ok) {
          queue_->fail(*conn_, jobs.front(), "t", out.message, false);
          return out;
        }
        EXPECT_TRUE(queue_->complete(*conn_, jobs.front().id, "t"));
      }
    }
    return queue::JobOutcome::ok();
  }

  /// Listing changes of `event` in the queued event jobs (one job carries a page's changes).
  long long changes(const std::string& event) {
    return scalar(
        "SELECT coalesce(sum(jsonb_array_length(payload->'changes')), 0) FROM jobs"
        " WHERE kind = '" +
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
  std::string cursor() {
    return text("SELECT coalesce(state->>'cursor', '') FROM connectors WHERE id = 'reso-mls'");
  }

  ResoTestServer server_;
  std::vector<ResoListing> listings_;
  std::string dir_, conninfo_;
  TestDatabase db_;
  config::HubConfig hub_;
  db::ConnectionPtr conn_;
  std::unique_ptr<db::ConnectionPool> pool_;
  http::MetricsRegistry metrics_;
  std::unique_ptr<plugin_runtime::ConnectorRegistry> registry_;
  std::unique_ptr<queue::JobQueue> queue_;
  std::unique_ptr<pipeline_exec::PipelineRuntime> runtime_;
};

TEST_F(ResoPipelineTest, ReplicatesIntoPropertiesWithChangeEvents) {
  ASSERT_EQ(sync("tick-1").kind, queue::JobOutcome::Kind::ok);
  EXPECT_EQ(scalar("SELECT count(*) FROM properties WHERE tenant_id = 'acme'"), 26);
  // The pipeline only normalizes and stores: the pull stores its pages (no pipeline.process
  // job, docs/pipeline-execution.md), 10+10+6 in one run.
  EXPECT_EQ(scalar("SELECT count(*) FROM jobs WHERE kind = 'pipeline.process'"), 0);
  EXPECT_EQ(scalar("SELECT sum(pages) FROM sync_runs"), 3);
  EXPECT_EQ(changes("listing.created"), 26);
  EXPECT_EQ(scalar("SELECT count(*) FROM quarantine"), 0);
  // RESO's commander record: enum member name → display name, 100000.00 → 100000, the
  // 2-digit fraction kept.
  EXPECT_EQ(text("SELECT standard_status || ' ' || list_price::bigint || ' ' ||"
                 " (data->>'ModificationTimestamp') FROM properties WHERE listing_key = 'abc123'"),
            "Active Under Contract 100000 2020-04-02T02:02:02.02Z");
  EXPECT_EQ(text("SELECT data->>'City' || ' ' || (data->>'PhotosCount') FROM properties"
                 " WHERE listing_key = 'L0000003'"),
            "Kirkland 2");
  EXPECT_EQ(scalar("SELECT count(*) FROM properties WHERE geog IS NULL"), 1);  // abc123 only
  // $expand=Media lands in the row (connectors/mls/reso_generic.yaml, type json), and each
  // listing with photos queues one photos.fetch job (docs/photos.md); abc123 has none.
  EXPECT_EQ(text("SELECT (data->'Media'->1->>'MediaURL') || ' ' || (data->'Media'->1->>'Order')"
                 " FROM properties WHERE listing_key = 'L0000003'"),
            "https://photos.example.com/L0000003/2.jpg 2");
  EXPECT_EQ(scalar("SELECT count(*) FROM properties WHERE jsonb_array_length(data->'Media') = 2"),
            25);
  EXPECT_EQ(text("SELECT (data->'Media')::text || (data->>'PhotosCount') FROM properties"
                 " WHERE listing_key = 'abc123'"),
            "[]0");
  EXPECT_EQ(scalar("SELECT count(*) FROM jobs WHERE kind = 'photos.fetch'"), 25);
  EXPECT_EQ(nlohmann::json::parse(cursor()).at("key"), "L0000024");

  // Nothing changed: one request, nothing written.
  ASSERT_EQ(sync("tick-2").kind, queue::JobOutcome::Kind::ok);
  EXPECT_EQ(scalar("SELECT sum(pages) FROM sync_runs"), 3);
  EXPECT_EQ(scalar("SELECT count(*) FROM property_history"), 26);
  EXPECT_EQ(scalar("SELECT count(*) FROM jobs WHERE kind = 'photos.fetch'"), 25);

  // A price drop and a status change, each with a new ModificationTimestamp.
  server_.upsert(
      {with_change(listings_[5], "ListPrice", "299000", "2024-03-01T00:00:00Z"),
       with_change(listings_[6], "StandardStatus", "\"Closed\"", "2024-03-01T00:00:00Z")});
  ASSERT_EQ(sync("tick-3").kind, queue::JobOutcome::Kind::ok);
  EXPECT_EQ(changes("listing.price_changed"), 1);
  EXPECT_EQ(changes("listing.status_changed"), 1);
  EXPECT_EQ(text("SELECT old_value || '>' || new_value FROM property_history"
                 " WHERE change = 'status'"),
            "Active Under Contract>Closed");  // L0000006 was ActiveUnderContract
  EXPECT_EQ(text("SELECT old_value || '>' || new_value FROM property_history"
                 " WHERE change = 'price'"),
            "300500>299000");
  EXPECT_EQ(scalar("SELECT count(*) FROM properties"), 26);
  // A price or status change with the same Media fetches no photos again.
  EXPECT_EQ(scalar("SELECT count(*) FROM jobs WHERE kind = 'photos.fetch'"), 25);
}

TEST_F(ResoPipelineTest, ATruncatedPageMidSyncIsNotRecordedAndTheNextPullLandsEachOnce) {
  // One page per source.pull job (no budget to go on with the next page), so the test can
  // break the feed between pages. The first page commits; the second arrives cut in half.
  pipeline_exec::PipelineRuntimeOptions one_page_per_job;
  one_page_per_job.stored_pull_budget = std::chrono::milliseconds(0);
  runtime_ = std::make_unique<pipeline_exec::PipelineRuntime>(hub_, *registry_, *pool_, metrics_,
                                                              one_page_per_job);
  queue_->enqueue(*conn_, "acme", pipeline_exec::kSourcePull,
                  R"({"tenant":"acme","pipeline":"listings","connector":"reso-mls"})", "first");
  const auto handlers = pipeline_exec::pipeline_handlers(*runtime_);
  auto jobs = queue_->claim(*conn_, "t", {pipeline_exec::kSourcePull}, 1, std::chrono::seconds(30));
  ASSERT_EQ(jobs.size(), 1u);
  ASSERT_EQ(handlers.at(pipeline_exec::kSourcePull)(jobs.front()).kind,
            queue::JobOutcome::Kind::ok);
  ASSERT_TRUE(queue_->complete(*conn_, jobs.front().id, "t"));
  const std::string after_first = cursor();
  EXPECT_EQ(nlohmann::json::parse(after_first).at("more"), true);
  // The follow-up pull keeps the first pull's place in the queue (run_at), not now().
  EXPECT_EQ(scalar("SELECT count(*) FROM jobs WHERE kind = 'source.pull' AND status = 'queued'"
                   " AND run_at < created_at AND run_at >= (SELECT run_at - interval '1 second'"
                   " FROM jobs WHERE idempotency_key = 'first')"),
            1);

  server_.faults.truncated = true;
  jobs = queue_->claim(*conn_, "t", {pipeline_exec::kSourcePull}, 1, std::chrono::seconds(30));
  ASSERT_EQ(jobs.size(), 1u);  // the "more" pull the first page enqueued
  const queue::JobOutcome cut = handlers.at(pipeline_exec::kSourcePull)(jobs.front());
  EXPECT_EQ(cut.kind, queue::JobOutcome::Kind::retry) << cut.message;
  EXPECT_NE(cut.message.find("truncated"), std::string::npos) << cut.message;
  queue_->fail(*conn_, jobs.front(), "t", cut.message, false);
  EXPECT_EQ(cursor(), after_first);  // half a page is never recorded as done

  server_.faults.truncated = false;
  ASSERT_EQ(sync("again").kind, queue::JobOutcome::Kind::ok);
  EXPECT_EQ(scalar("SELECT count(*) FROM properties"), 26);
  EXPECT_EQ(scalar("SELECT count(*) FROM property_history WHERE change = 'created'"), 26);
  EXPECT_EQ(changes("listing.created"), 26);
}

}  // namespace
}  // namespace reos::test
