// RETS photos end to end: `reos sync` with the rets plugin (settings.photos) against
// RetsTestServer, through connectors/mls/rets_generic.yaml, into a real PostgreSQL. GetObject's
// objects land in the connector's blobs, each record carries Media[] with reos-blob: URLs, the
// properties row keeps it (PhotosCount following Media), photos.fetch jobs are queued, and the
// host's photo fetcher turns them into property_photos rows (docs/photos.md, docs/rets.md).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <pqxx/pqxx>

#include "blobs/local_blob_store.hpp"
#include "blobs/photo_fetch_handler.hpp"
#include "db/connection_pool.hpp"
#include "http/metrics_registry.hpp"
#include "rets_test_server.hpp"
#include "support/child_process.hpp"
#include "support/hub_config_dir.hpp"
#include "support/test_database.hpp"

namespace reos::test {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string>& kColumns = rets_generic_extra_columns();

class RetsPhotoSync : public ::testing::Test {
 protected:
  void SetUp() override {
    migrate_to_current(db_.conninfo());
    dir_ = reos::test::make_hub_config_dir("reos-rets-photos", REOS_PLUGIN_DIR);
    std::ofstream(dir_ + "/tenants/acme.yaml")
        << "id: acme\nname: Acme\nconnectors:\n"
        << "  - id: mls\n    plugin: rets\n    settings:\n"
        << "      login_url: " << server_.login_url() << "\n"
        << "      username: agent\n      password: ${MLS_TEST_PASSWORD}\n"
        << "      class: RES\n      limit: 3\n      key_field: ListingKey\n      photos: true\n"
        << "pipelines:\n  - id: listings\n    record_type: property\n"
        << "    sources: [{ connector: mls, schedule: \"every 4h\" }]\n"
        << "    stages:\n      normalize: { field_map: " REOS_SOURCE_DIR
           "/connectors/mls/rets_generic.yaml }\n";
    server_.set_extra_columns(kColumns);
    std::vector<RetsListing> rows;
    for (int i = 0; i < 5; ++i) {  // L1000: 2 photos; L1002, L1004: 1; L1001, L1003: none
      rows.push_back({"L100" + std::to_string(i), "2024-01-01T10:00:0" + std::to_string(i),
                      std::to_string(400000 + i), "Seattle"});
      rows.back().extra.assign(kColumns.size(), "");
      rows.back().extra[1] = "A";
      rows.back().extra.back() = "9";  // the server's PhotoCount: Media wins
    }
    server_.set_listings(rows);
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  RunResult sync() {
    return run_program({REOS_BINARY, "--config", dir_ + "/hub.yaml", "sync", "acme", "mls"},
                       {"REOS_DATABASE__URL=" + db_.conninfo(), "MLS_TEST_PASSWORD=secret"});
  }
  std::string text(const std::string& sql) {
    pqxx::connection conn(db_.conninfo());
    pqxx::nontransaction tx(conn);
    const auto r = tx.exec1(sql);
    return r[0].is_null() ? "<null>" : r[0].as<std::string>();
  }

  TestDatabase db_;
  RetsTestServer server_{"agent", "secret"};
  std::string dir_;
};

TEST_F(RetsPhotoSync, GetObjectPhotosBecomeListingPhotos) {
  const RunResult r = sync();
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(text("SELECT count(*) FROM properties"), "5");
  EXPECT_EQ(text("SELECT count(*) FROM quarantine"), "0");
  EXPECT_EQ(text("SELECT string_agg(m->>'MediaURL' || '#' || (m->>'Order'), ' ')"
                 " FROM properties, jsonb_array_elements(data->'Media') m"
                 " WHERE listing_key = 'L1000'"),
            "reos-blob:rets/Property/Photo/L1000/1#1 reos-blob:rets/Property/Photo/L1000/2#2");
  EXPECT_EQ(text("SELECT string_agg(listing_key || '=' || (data->>'PhotosCount'), ','"
                 " ORDER BY listing_key) FROM properties"),
            "L1000=2,L1001=0,L1002=1,L1003=0,L1004=1");
  EXPECT_EQ(text("SELECT count(*) FROM jobs WHERE kind = 'photos.fetch'"), "3");

  // The hub's photo fetcher reads the plugin's blobs (hub.yaml blobs.dir) for reos-blob: URLs.
  // `reos sync`'s workers may have run some jobs already; the rest run here, as a worker would.
  auto store = std::make_shared<blobs::LocalBlobStore>(dir_ + "/blobs");
  db::ConnectionPool pool(db_.conninfo(), 2);
  http::MetricsRegistry metrics;
  blobs::PhotoFetchHandler handler(pool, store, metrics, blobs::PhotoFetchSettings{});
  std::vector<queue::Job> jobs;
  {
    pqxx::connection conn(db_.conninfo());
    pqxx::work tx(conn);
    for (const auto& row :
         tx.exec("UPDATE jobs SET status = 'succeeded', finished_at = now()"
                 " WHERE kind = 'photos.fetch' AND status = 'queued' RETURNING id, tenant_id,"
                 " payload::text")) {
      queue::Job j;
      j.id = row[0].as<long long>();
      j.tenant_id = row[1].as<std::string>();
      j.kind = "photos.fetch";
      j.payload_json = row[2].as<std::string>();
      jobs.push_back(j);
    }
    tx.commit();
  }
  for (const queue::Job& j : jobs) EXPECT_EQ(handler(j).kind, queue::JobOutcome::Kind::ok);
  EXPECT_EQ(text("SELECT string_agg(listing_key || '/' || n || ':' || content_type || ':' ||"
                 " byte_size, ',' ORDER BY listing_key, n) FROM property_photos"),
            "L1000/1:image/jpeg:22,L1000/2:image/jpeg:22,L1002/1:image/jpeg:22,"
            "L1004/1:image/jpeg:22");

  // A re-sync of the same listings (same Media) writes nothing and queues no photo job.
  ASSERT_EQ(sync().exit_code, 0);
  EXPECT_EQ(text("SELECT count(*) FROM jobs WHERE kind = 'photos.fetch'"), "3");
}

}  // namespace
}  // namespace reos::test
