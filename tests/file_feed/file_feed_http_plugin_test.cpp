// The file_feed plugin with `url:` loaded by the host, its requests going through the host's
// http service (DefaultHostServices → ConnectorHttpClient → libcurl) to a feed server in the
// test over loopback.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "db/connection_pool.hpp"
#include "feed_server.hpp"
#include "http/metrics_registry.hpp"
#include "plugin_runtime/default_host_services.hpp"
#include "plugin_runtime/in_process_instance.hpp"
#include "plugin_runtime/plugin_library.hpp"
#include "reos/plugin.h"

namespace file_feed {
namespace {

using namespace reos::plugin_runtime;

class FileFeedPluginOverHttp : public ::testing::Test {
 protected:
  std::unique_ptr<PluginInstance> start(const std::string& settings) {
    ConnectorServiceSettings s;
    s.plugin = "file_feed";
    s.tenant_id = "acme";
    s.connector_id = "vendor";
    s.settings_json = settings;
    s.blob_root = (std::filesystem::temp_directory_path() / "reos-ff-blobs").string();
    ctx_.tenant_id = "acme";
    ctx_.connector_id = "vendor";
    CallResult created;
    auto made = create_in_process_instance(
        PluginLibrary::open(FILE_FEED_PLUGIN),
        std::make_shared<DefaultHostServices>(s, pool_, metrics_), ctx_, settings, created);
    EXPECT_NE(made, nullptr) << created.message;
    return made;
  }

  FeedServer server_;
  reos::db::ConnectionPool pool_{"host=/nonexistent dbname=none", 1};  // never opened
  reos::http::MetricsRegistry metrics_;
  CallContext ctx_;
};

TEST_F(FileFeedPluginOverHttp, PullsPagesByRangeUntilTheEndThenNothing) {
  std::string body = "ListingKey,ListPrice\n";
  for (int i = 1; i <= 120; ++i)
    body += "K" + std::to_string(i) + "," + std::to_string(i * 1000) + "\n";
  server_.set("listings.csv", body);
  const std::string settings = nlohmann::json{
      {"url", server_.url("listings.csv") + "?token=s3cret"},
      {"batch_size", 50},
      {"chunk_bytes", 4096}}.dump();
  auto feed = start(settings);
  ASSERT_NE(feed, nullptr);
  std::vector<std::string> records;
  std::string cursor;
  for (int pulls = 0; pulls < 10; ++pulls) {
    const CallResult r = feed->pull(ctx_, cursor);
    ASSERT_EQ(r.status, REOS_OK) << r.message;
    records.insert(records.end(), r.emitted.begin(), r.emitted.end());
    ASSERT_TRUE(r.cursor.has_value());
    cursor = *r.cursor;
    if (!r.has_more) break;
  }
  ASSERT_EQ(records.size(), 120u);
  EXPECT_EQ(nlohmann::json::parse(records.back())["ListingKey"], "K120");
  EXPECT_LE(server_.largest_body.load(), 4096u);
  const CallResult again = feed->pull(ctx_, cursor);
  EXPECT_EQ(again.status, REOS_OK);
  EXPECT_TRUE(again.emitted.empty()) << "an unchanged feed emits nothing";
}

TEST_F(FileFeedPluginOverHttp, MissingFeedFailsAndSettingsAreChecked) {
  auto feed = start(nlohmann::json{{"url", server_.url("nope.csv")}}.dump());
  ASSERT_NE(feed, nullptr);
  const CallResult r = feed->pull(ctx_, "");
  EXPECT_EQ(r.status, REOS_FAIL);
  EXPECT_NE(r.message.find("HTTP 404"), std::string::npos) << r.message;

  CallResult created;
  ConnectorServiceSettings s;
  s.tenant_id = "acme";
  s.connector_id = "vendor";
  const std::string both = R"({"url":"http://x/a.csv","path":"/tmp/a.csv"})";
  auto made = create_in_process_instance(PluginLibrary::open(FILE_FEED_PLUGIN),
                                         std::make_shared<DefaultHostServices>(s, pool_, metrics_),
                                         ctx_, both, created);
  EXPECT_EQ(made, nullptr);
  EXPECT_NE(created.message.find("exactly one of path"), std::string::npos) << created.message;
}

}  // namespace
}  // namespace file_feed
