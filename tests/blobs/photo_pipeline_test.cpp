// Listing photos end to end with a real PostgreSQL and real HTTP: a listing upsert queues a
// photos.fetch job (migration 0008's trigger), the handler downloads from an in-test image
// server through the host's HTTP client, stores content-addressed blobs (once per content),
// and GET /api/v1/properties/{ListingKey}/photos/{n} serves them with ETag/304/404.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "blobs/blob_store_factory.hpp"
#include "blobs/local_blob_store.hpp"
#include "blobs/photo_fetch_handler.hpp"
#include "blobs/photo_routes.hpp"
#include "blobs/s3_blob_store.hpp"
#include "db/connection_pool.hpp"
#include "db/tenant_scope.hpp"
#include "http/metrics_registry.hpp"
#include "http/router.hpp"
#include "http/test_server.hpp"
#include "listings/property_store.hpp"
#include "s3_test_server.hpp"
#include "support/api_harness.hpp"

namespace reos::blobs {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kJpegA = std::string("\xFF\xD8\xFF\xE0", 4) + "photo A bytes";
const std::string kJpegB = std::string("\xFF\xD8\xFF\xE0", 4) + "photo B bytes";
const std::string kPng = std::string("\x89PNG\r\n\x1A\n", 8) + "png bytes";

// The MLS photo CDN: /img/{name}; counts downloads per name.
class ImageServer {
 public:
  ImageServer() {
    server_.router.add("GET", "/img/{name}", [this](const http::Request& r) {
      const std::string name = r.path_params.at("name");
      {
        std::lock_guard<std::mutex> lock(mutex_);
        ++hits_[name];
      }
      if (on_request) on_request(name);
      http::Response res;
      if (name == "a.jpg" || name == "a-copy.jpg")
        res.body = kJpegA;
      else if (name == "b.jpg")
        res.body = kJpegB;
      else if (name == "c.png")
        res.body = kPng;
      else if (name == "moved.jpg") {
        res.status = 302;
        res.headers.emplace_back("Location", "/img/b.jpg");
      } else if (name == "error.html") {
        res.content_type = "text/html";
        res.body = "<html>oops</html>";
        return res;
      } else if (name == "flaky.jpg" && flaky_failures.load() > 0) {
        --flaky_failures;
        res.status = 503;
        return res;
      } else if (name == "flaky.jpg")
        res.body = kJpegB;
      else
        res.status = 404;
      res.content_type = name == "c.png" ? "image/png" : "image/jpeg";
      return res;
    });
    server_.start();
  }
  std::string url(const std::string& name) const {
    return "http://127.0.0.1:" + std::to_string(server_.port()) + "/img/" + name;
  }
  int hits(const std::string& name) {
    std::lock_guard<std::mutex> lock(mutex_);
    return hits_[name];
  }
  int total() {
    std::lock_guard<std::mutex> lock(mutex_);
    int n = 0;
    for (const auto& [k, v] : hits_) n += v;
    return n;
  }
  std::atomic<int> flaky_failures{0};
  /// Runs in the server thread before each answer (set before the downloads start).
  std::function<void(const std::string& name)> on_request;

 private:
  std::mutex mutex_;
  std::map<std::string, int> hits_;
  test::TestServer server_;
};

struct TempDir {
  fs::path path = fs::temp_directory_path() /
                  ("reos-photos-" + std::to_string(::getpid()) + "-" +
                   std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

PhotoFetchSettings fast_settings() {
  PhotoFetchSettings s;
  s.http.rate_per_s = 0;
  s.http.max_retries = 1;
  s.http.backoff_base_ms = 1;
  s.http.backoff_cap_ms = 5;
  s.http.timeout_ms = 2000;
  s.per_photo_deadline = std::chrono::milliseconds(3000);
  return s;
}

class PhotoPipeline : public ::testing::Test {
 protected:
  explicit PhotoPipeline(std::shared_ptr<BlobStore> store = nullptr)
      : store_(store ? store : std::make_shared<LocalBlobStore>(dir_.path.string())),
        harness_([this](http::Router& r, const api::ApiContext& api) {
          add_photo_routes(r, api, store_);
        }),
        pool_(harness_.conninfo(), 2),
        handler_(pool_, store_, metrics_, fast_settings()) {}

  void upsert(const std::string& tenant, const std::vector<json>& listings) {
    std::vector<pipeline::RecordJson> records;
    for (const json& l : listings) records.push_back(pipeline::RecordJson::parse(l.dump()));
    pqxx::connection c(harness_.conninfo());
    pqxx::work tx(c);
    db::enter_tenant_scope(tx, tenant);
    listings::upsert_properties(tx, tenant, "mls", records);
    tx.commit();
  }

  static json listing(const std::string& key, json media, double price = 500000) {
    json l = {{"ListingKey", key}, {"ListPrice", price}, {"StandardStatus", "Active"}};
    if (!media.is_null()) l["Media"] = std::move(media);
    return l;
  }

  /// Runs every queued photos.fetch job once (as a worker would), marking it done.
  std::vector<queue::JobOutcome::Kind> run_jobs() {
    std::vector<queue::Job> jobs;
    {
      pqxx::connection c(harness_.conninfo());
      pqxx::work tx(c);
      for (const auto& row :
           tx.exec("UPDATE jobs SET status = 'succeeded', finished_at = now() WHERE kind = "
                   "'photos.fetch' AND status = 'queued' RETURNING id, tenant_id, payload::text")) {
        queue::Job j;
        j.id = row[0].as<long long>();
        j.tenant_id = row[1].as<std::string>();
        j.kind = "photos.fetch";
        j.payload_json = row[2].as<std::string>();
        jobs.push_back(j);
      }
      tx.commit();
    }
    std::sort(jobs.begin(), jobs.end(), [](auto& a, auto& b) { return a.id < b.id; });
    std::vector<queue::JobOutcome::Kind> out;
    for (const queue::Job& j : jobs) out.push_back(handler_(j).kind);
    return out;
  }

  long long count(const std::string& sql) {
    pqxx::connection c(harness_.conninfo());
    pqxx::work tx(c);
    return tx.exec1(sql)[0].as<long long>();
  }

  std::size_t photo_blob_files() {
    std::size_t n = 0;
    if (!fs::exists(dir_.path / "photos")) return 0;
    for (const auto& e : fs::recursive_directory_iterator(dir_.path / "photos"))
      n += e.path().extension() == ".blob";
    return n;
  }

  TempDir dir_;
  ImageServer images_;
  std::shared_ptr<BlobStore> store_;
  test::ApiHarness harness_;
  http::MetricsRegistry metrics_;
  db::ConnectionPool pool_;
  PhotoFetchHandler handler_;
};

TEST_F(PhotoPipeline, NewListingQueuesOneJobAndPhotosAreStoredOnceByContent) {
  upsert("t-one",
         {listing("L1", {{{"MediaURL", images_.url("a.jpg")}, {"Order", 1}},
                         {{"MediaURL", images_.url("c.png")}, {"Order", 2}},
                         {{"MediaURL", images_.url("v.mp4")}, {"MediaCategory", "Video"}}}),
          listing("L2", {{{"MediaURL", images_.url("a-copy.jpg")}}}), listing("L3", nullptr)});
  EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE kind = 'photos.fetch'"), 2)
      << "one job per listing with photos, none for L3";
  EXPECT_EQ(run_jobs(), (std::vector<queue::JobOutcome::Kind>{queue::JobOutcome::Kind::ok,
                                                              queue::JobOutcome::Kind::ok}));
  EXPECT_EQ(count("SELECT count(*) FROM property_photos"), 3);
  EXPECT_EQ(count("SELECT count(*) FROM property_photos WHERE listing_key = 'L1' AND n IN (1, 2)"),
            2);
  EXPECT_EQ(count("SELECT count(*) FROM property_photos WHERE listing_key = 'L2' AND n = 0"), 1)
      << "no Order: n is the 0-based position";
  EXPECT_EQ(count("SELECT count(DISTINCT blob_key) FROM property_photos"), 2);
  EXPECT_EQ(photo_blob_files(), 2u) << "the same bytes under two URLs are stored once";
  EXPECT_EQ(images_.hits("v.mp4"), 0) << "videos are not photos";
  EXPECT_EQ(count("SELECT count(*) FROM property_photos WHERE content_type = 'image/png'"), 1);
}

TEST_F(PhotoPipeline, UnchangedPhotosAreNeverFetchedAgain) {
  const json media = {{{"MediaURL", images_.url("a.jpg")}, {"Order", 0}},
                      {{"MediaURL", images_.url("b.jpg")}, {"Order", 1}}};
  upsert("t-one", {listing("L1", media)});
  run_jobs();
  EXPECT_EQ(images_.total(), 2);
  // A price change: the record changes, the Media does not → no job, no download.
  upsert("t-one", {listing("L1", media, 450000)});
  EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE kind = 'photos.fetch' AND status = 'queued'"),
            0);
  // Photo 1 replaced, photo 2 added: only those two are downloaded.
  upsert("t-one", {listing("L1",
                           {{{"MediaURL", images_.url("a.jpg")}, {"Order", 0}},
                            {{"MediaURL", images_.url("c.png")}, {"Order", 1}},
                            {{"MediaURL", images_.url("moved.jpg")}, {"Order", 2}}},
                           450000)});
  EXPECT_EQ(run_jobs().size(), 1u);
  EXPECT_EQ(images_.hits("a.jpg"), 1);
  EXPECT_EQ(images_.hits("c.png"), 1);
  EXPECT_EQ(images_.hits("moved.jpg"), 1);
  EXPECT_EQ(images_.hits("b.jpg"), 2) << "the redirect target was followed";
  EXPECT_EQ(count("SELECT count(*) FROM property_photos WHERE listing_key = 'L1'"), 3);
  // A photo removed from Media[] is forgotten.
  upsert("t-one", {listing("L1", {{{"MediaURL", images_.url("a.jpg")}, {"Order", 0}}}, 450000)});
  run_jobs();
  EXPECT_EQ(count("SELECT count(*) FROM property_photos WHERE listing_key = 'L1'"), 1);
  EXPECT_EQ(images_.hits("a.jpg"), 1);
}

TEST_F(PhotoPipeline, MissingAndNonPicturesAreSkippedTransientFailuresRetryTheRestOnly) {
  images_.flaky_failures = 100;
  upsert("t-one", {listing("L1", {{{"MediaURL", images_.url("a.jpg")}, {"Order", 0}},
                                  {{"MediaURL", images_.url("gone.jpg")}, {"Order", 1}},
                                  {{"MediaURL", images_.url("error.html")}, {"Order", 2}},
                                  {{"MediaURL", images_.url("flaky.jpg")}, {"Order", 3}}})});
  EXPECT_EQ(run_jobs(), std::vector<queue::JobOutcome::Kind>{queue::JobOutcome::Kind::retry});
  EXPECT_EQ(count("SELECT count(*) FROM property_photos"), 1) << "a.jpg kept despite the retry";
  // The queue runs the job again; this time the CDN is back.
  images_.flaky_failures = 0;
  pqxx::connection c(harness_.conninfo());
  {
    pqxx::work tx(c);
    tx.exec("UPDATE jobs SET status = 'queued', finished_at = NULL WHERE kind = 'photos.fetch'");
    tx.commit();
  }
  EXPECT_EQ(run_jobs(), std::vector<queue::JobOutcome::Kind>{queue::JobOutcome::Kind::ok});
  EXPECT_EQ(images_.hits("a.jpg"), 1) << "the stored photo is not fetched again";
  EXPECT_EQ(count("SELECT count(*) FROM property_photos"), 2);
  EXPECT_EQ(count("SELECT count(*) FROM property_photos WHERE n IN (1, 2)"), 0);
}

TEST_F(PhotoPipeline, PluginBlobUrlsAreReadFromTheSourceConnectorsBlobs) {
  // What the rets plugin stores with blob_put after a GetObject (connector "mls").
  store_->put(plugin_blob_key("t-one", "mls", "rets/Property/Photo/L1/1"), kJpegB, "image/jpeg");
  upsert("t-one",
         {listing("L1", {{{"MediaURL", "reos-blob:rets/Property/Photo/L1/1"}, {"Order", 1}},
                         {{"MediaURL", "reos-blob:rets/Property/Photo/L1/2"}, {"Order", 2}}})});
  EXPECT_EQ(run_jobs(), std::vector<queue::JobOutcome::Kind>{queue::JobOutcome::Kind::ok});
  EXPECT_EQ(count("SELECT count(*) FROM property_photos WHERE n = 1 AND content_hash = '" +
                  sha256_hex(kJpegB) + "'"),
            1);
  EXPECT_EQ(count("SELECT count(*) FROM property_photos WHERE n = 2"), 0) << "absent: skipped";
  EXPECT_EQ(images_.total(), 0);
  const auto res =
      harness_.call("GET", "/api/v1/properties/L1/photos/1", harness_.token("alice@one.test"));
  EXPECT_EQ(res.body, kJpegB);
}

TEST_F(PhotoPipeline, AMediaChangeDuringTheDownloadLeavesTheWritingToTheNewerJob) {
  upsert("t-one", {listing("L1", {{{"MediaURL", images_.url("a.jpg")}, {"Order", 1}}})});
  bool changed = false;
  images_.on_request = [&](const std::string& name) {
    if (name == "a.jpg" && !changed) {
      changed = true;  // the next sync page replaces the photo while a.jpg is downloading
      upsert("t-one", {listing("L1", {{{"MediaURL", images_.url("b.jpg")}, {"Order", 1}}})});
    }
  };
  EXPECT_EQ(run_jobs(), std::vector<queue::JobOutcome::Kind>{queue::JobOutcome::Kind::ok});
  EXPECT_EQ(count("SELECT count(*) FROM property_photos"), 0) << "the stale job wrote nothing";
  EXPECT_EQ(run_jobs(), std::vector<queue::JobOutcome::Kind>{queue::JobOutcome::Kind::ok});
  EXPECT_EQ(count("SELECT count(*) FROM property_photos WHERE content_hash = '" +
                  sha256_hex(kJpegB) + "'"),
            1);
  images_.on_request = nullptr;
}

TEST_F(PhotoPipeline, ServedWithTypeEtagCacheControlAnd304) {
  upsert("t-one", {listing("L1", {{{"MediaURL", images_.url("a.jpg")}, {"Order", 1}},
                                  {{"MediaURL", images_.url("c.png")}, {"Order", 2}}})});
  upsert("t-two", {listing("L9", {{{"MediaURL", images_.url("b.jpg")}, {"Order", 1}}})});
  run_jobs();
  const std::string token = harness_.token("carol@one.test");  // viewer
  auto res = harness_.call("GET", "/api/v1/properties/L1/photos/1", token);
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(res.body, kJpegA);
  EXPECT_EQ(res.header("content-type"), "image/jpeg");
  EXPECT_EQ(res.header("etag"), "\"" + sha256_hex(kJpegA) + "\"");
  EXPECT_EQ(res.header("cache-control"), "private, max-age=3600");
  res = harness_.call("GET", "/api/v1/properties/L1/photos/2", token);
  EXPECT_EQ(res.header("content-type"), "image/png");
  EXPECT_EQ(res.body, kPng);

  const std::string etag = "\"" + sha256_hex(kJpegA) + "\"";
  res = harness_.call("GET", "/api/v1/properties/L1/photos/1", token, "",
                      {"If-None-Match: \"other\", " + etag});
  EXPECT_EQ(res.status, 304);
  EXPECT_TRUE(res.body.empty());
  EXPECT_EQ(res.header("etag"), etag);
  res = harness_.call("GET", "/api/v1/properties/L1/photos/1", token, "",
                      {"If-None-Match: \"other\""});
  EXPECT_EQ(res.status, 200);

  res = harness_.call("GET", "/api/v1/properties/L1/photos/7", token);
  EXPECT_EQ(res.status, 404);
  EXPECT_EQ(res.header("content-type"), "application/problem+json");
  EXPECT_NE(res.body.find("photo 7 of listing 'L1'"), std::string::npos) << res.body;
  res = harness_.call("GET", "/api/v1/properties/NOPE/photos/1", token);
  EXPECT_EQ(res.status, 404);
  EXPECT_NE(res.body.find("listing 'NOPE'"), std::string::npos) << res.body;
  res = harness_.call("GET", "/api/v1/properties/L9/photos/1", token);
  EXPECT_EQ(res.status, 404) << "another tenant's listing is not visible";
  res = harness_.call("GET", "/api/v1/properties/L1/photos/first", token);
  EXPECT_EQ(res.status, 400);
  EXPECT_NE(res.body.find("\"n\""), std::string::npos) << res.body;
  res = harness_.call("GET", "/api/v1/properties/L1/photos/1", "");
  EXPECT_EQ(res.status, 401);
  const std::string key = harness_.api_key("t-one", {"contacts:read"}, "viewer");
  res = harness_.call("GET", "/api/v1/properties/L1/photos/1", key);
  EXPECT_EQ(res.status, 403) << "API keys need properties:read";
  const std::string reader = harness_.api_key("t-one", {"properties:read"}, "viewer");
  EXPECT_EQ(harness_.call("GET", "/api/v1/properties/L1/photos/1", reader).status, 200);
}

// The same pipeline with photos in S3 (the in-test server verifies every signature).
test::S3TestServer& s3_server() {
  static test::S3TestServer server("AKIDPHOTOS", "photos-secret", "us-west-2", "listing-photos");
  return server;
}

std::shared_ptr<BlobStore> s3_store() {
  S3Settings s;
  s.endpoint = s3_server().endpoint();
  s.bucket = "listing-photos";
  s.region = "us-west-2";
  s.prefix = "reos/";
  s.credentials = {"AKIDPHOTOS", "photos-secret", ""};
  s.backoff_base = std::chrono::milliseconds(2);
  return std::make_shared<S3BlobStore>(s);
}

class PhotoPipelineOnS3 : public PhotoPipeline {
 protected:
  PhotoPipelineOnS3() : PhotoPipeline(s3_store()) {}
};

TEST_F(PhotoPipelineOnS3, FetchedIntoS3AndServedFromIt) {
  test::S3TestServer& s3_ = s3_server();
  const int objects_before = static_cast<int>(s3_.object_count());
  s3_.faults.slow_down = 1;  // S3 asks to slow down once: the store retries
  upsert("t-one", {listing("L1", {{{"MediaURL", images_.url("a.jpg")}, {"Order", 1}}}),
                   listing("L2", {{{"MediaURL", images_.url("a-copy.jpg")}, {"Order", 1}}})});
  run_jobs();
  EXPECT_EQ(static_cast<int>(s3_.object_count()) - objects_before, 1)
      << "one object for the shared content";
  EXPECT_TRUE(
      s3_.object("reos/photos/sha256/" + sha256_hex(kJpegA).substr(0, 2) + "/" + sha256_hex(kJpegA))
          .has_value());
  const auto res =
      harness_.call("GET", "/api/v1/properties/L2/photos/1", harness_.token("alice@one.test"));
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(res.body, kJpegA);
  EXPECT_EQ(res.header("content-type"), "image/jpeg");
  EXPECT_EQ(s3_.rejected_signatures.load(), 0);
}

}  // namespace
}  // namespace reos::blobs
