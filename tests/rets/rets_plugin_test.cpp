// The rets plugin (libreos_rets.so) end to end, in process, against RetsTestServer: HTTP goes
// through the host's ConnectorHttpClient (retries, timeouts) as in production.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "plugin_runtime/in_process_instance.hpp"
#include "plugin_runtime/plugin_library.hpp"
#include "rets_test_server.hpp"
#include "support/loopback_host_services.hpp"

using namespace reos::plugin_runtime;
using reos::test::RetsListing;
using reos::test::RetsTestServer;

namespace {

/// MemoryHostServices with http through a real ConnectorHttpClient (tests/support).
using NetHostServices = reos::test::LoopbackHostServices;

std::vector<RetsListing> listings(int n) {
  std::vector<RetsListing> out;
  for (int i = 0; i < n; ++i) {
    char ts[32];
    std::snprintf(ts, sizeof ts, "2024-01-01T%02d:%02d:%02d", 10 + i / 3600, (i / 60) % 60, i % 60);
    out.push_back({"L" + std::to_string(1000 + i), ts, std::to_string(300000 + i), "Seattle"});
  }
  return out;
}

class RetsPlugin : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv("RETS_TEST_PASSWORD", "secret", 1);
    server_.set_listings(listings(7));
    ctx_.tenant_id = "acme";
    ctx_.connector_id = "rets";
    ctx_.correlation_id = "corr-rets";
    ctx_.deadline = std::chrono::milliseconds(20000);
  }
  void TearDown() override { ::unsetenv("RETS_TEST_PASSWORD"); }

  void create(nlohmann::json extra = nlohmann::json::object()) {
    nlohmann::json settings = {{"login_url", server_.login_url()},
                               {"username", "agent"},
                               {"password", "${RETS_TEST_PASSWORD}"},
                               {"class", "RES"},
                               {"limit", 3},
                               {"key_field", "ListingKey"}};
    settings.update(extra);
    services_ =
        std::make_shared<NetHostServices>(settings.dump(), NetHostServices::test_http_settings());
    CallResult created;
    instance_ = create_in_process_instance(PluginLibrary::open(RETS_PLUGIN), services_, ctx_,
                                           settings.dump(), created);
    ASSERT_NE(instance_, nullptr) << created.message;
  }

  CallResult pull(const std::string& cursor) { return instance_->pull(ctx_, cursor); }

  /// Pulls until has_more is false; returns the keys and the final cursor.
  std::vector<std::string> sync(std::string& cursor, int* pages = nullptr) {
    std::vector<std::string> keys;
    for (int page = 0; page < 50; ++page) {
      const CallResult r = pull(cursor);
      EXPECT_EQ(r.status, REOS_OK) << r.message;
      if (r.status != REOS_OK) break;
      for (const auto& e : r.emitted) keys.push_back(nlohmann::json::parse(e).at("ListingKey"));
      EXPECT_TRUE(r.cursor);
      cursor = *r.cursor;
      if (pages) *pages = page + 1;
      if (!r.has_more) break;
    }
    return keys;
  }

  RetsTestServer server_{"agent", "secret"};
  std::shared_ptr<NetHostServices> services_;
  std::unique_ptr<PluginInstance> instance_;
  CallContext ctx_;
};

std::vector<std::string> keys(int from, int to) {
  std::vector<std::string> out;
  for (int i = from; i < to; ++i) out.push_back("L" + std::to_string(1000 + i));
  return out;
}

}  // namespace

TEST_F(RetsPlugin, FullSyncPagesWithLimitAndOffsetUntilMaxrowsIsAbsent) {
  create();
  std::string cursor;
  const CallResult first = pull(cursor);
  ASSERT_EQ(first.status, REOS_OK) << first.message;
  ASSERT_EQ(first.emitted.size(), 3u);
  EXPECT_TRUE(first.has_more);
  const auto rec = nlohmann::json::parse(first.emitted[0]);
  EXPECT_EQ(rec, nlohmann::json({{"ListingKey", "L1000"},
                                 {"ModificationTimestamp", "2024-01-01T10:00:00"},
                                 {"ListPrice", "300000"},
                                 {"City", "Seattle"}}));
  cursor = *first.cursor;
  int pages = 0;
  std::vector<std::string> rest = sync(cursor, &pages);
  EXPECT_EQ(pages, 2);
  EXPECT_EQ(rest, keys(3, 7));
  const auto c = nlohmann::json::parse(cursor);
  EXPECT_EQ(c.at("since"), "2024-01-01T10:00:06");
  EXPECT_EQ(c.at("offset"), 0);
  // One Login for the three pages (cookie session kept), then Logout when the sync completed.
  EXPECT_EQ(server_.logins.load(), 1);
  EXPECT_EQ(server_.logouts.load(), 1);
  const auto log = server_.search_log();
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[0].second, "1");
  EXPECT_EQ(log[1].second, "4");
  EXPECT_EQ(log[2].second, "7");
  EXPECT_EQ(log[0].first, "(ModificationTimestamp=1970-01-01T00:00:00+)");
  EXPECT_EQ(server_.last_headers().at("rets-version"), "RETS/1.7.2");
  EXPECT_EQ(server_.last_headers().at("user-agent"), "reos-rets/1.0");
  EXPECT_NE(server_.last_headers().at("cookie").find("RETS-Session-ID="), std::string::npos);
  EXPECT_EQ(services_->metric("rets_rows"), 7);
  EXPECT_EQ(services_->metric("rets_search_matches"), 7);  // COUNT Records
}

TEST_F(RetsPlugin, IncrementalSyncResumesFromTheModificationTimestampCursor) {
  create({{"query", "(City=Seattle)"}});
  std::string cursor;
  EXPECT_EQ(sync(cursor), keys(0, 7));
  server_.add_listing({"L2000", "2024-02-01T00:00:00", "500000", "Seattle"});
  const std::vector<std::string> again = sync(cursor);
  // '+' includes the boundary timestamp: the last row of the previous sync comes again.
  EXPECT_EQ(again, (std::vector<std::string>{"L1006", "L2000"}));
  EXPECT_EQ(server_.search_log().back().first,
            "(City=Seattle),(ModificationTimestamp=2024-01-01T10:00:06+)");
  EXPECT_EQ(nlohmann::json::parse(cursor).at("since"), "2024-02-01T00:00:00");
  EXPECT_EQ(server_.logins.load(), 2);  // logged out after the first sync, in again
}

TEST_F(RetsPlugin, NoMatchingRecordsInARetsStatusChildIsOkWithNothingEmitted) {
  create();
  const std::string cursor = R"({"since":"2030-01-01T00:00:00","offset":0})";
  const CallResult r = pull(cursor);
  ASSERT_EQ(r.status, REOS_OK) << r.message;
  EXPECT_TRUE(r.emitted.empty());
  EXPECT_FALSE(r.has_more);
  EXPECT_EQ(nlohmann::json::parse(*r.cursor).at("since"), "2030-01-01T00:00:00");
}

TEST_F(RetsPlugin, WrongPasswordIsInvalidWithAClearMessage) {
  ::setenv("RETS_TEST_PASSWORD", "wrong", 1);
  create();
  const CallResult r = pull("");
  EXPECT_EQ(r.status, REOS_INVALID);
  EXPECT_NE(r.message.find("login failed: check username/password for connector"),
            std::string::npos)
      << r.message;
  EXPECT_FALSE(r.cursor);
  EXPECT_EQ(server_.logins.load(), 0);
}

TEST_F(RetsPlugin, ServerErrorIsRetryAndRecordsNoCursor) {
  create();
  server_.faults.search_500 = true;
  const CallResult r = pull("");
  EXPECT_EQ(r.status, REOS_RETRY) << r.message;
  EXPECT_NE(r.message.find("500"), std::string::npos) << r.message;
  EXPECT_FALSE(r.cursor);
  server_.faults.search_500 = false;
  std::string cursor;
  EXPECT_EQ(sync(cursor), keys(0, 7));
}

TEST_F(RetsPlugin, SlowServerTimesOutAsRetry) {
  create();
  server_.faults.slow_ms = 1500;
  const CallResult r = pull("");
  EXPECT_EQ(r.status, REOS_RETRY) << r.message;
  EXPECT_FALSE(r.cursor);
  server_.faults.slow_ms = 0;
}

TEST_F(RetsPlugin, TruncatedPageIsRetriedAndNeverRecordedAsDone) {
  create();
  std::string cursor;
  const CallResult first = pull(cursor);
  ASSERT_EQ(first.status, REOS_OK) << first.message;
  cursor = *first.cursor;
  server_.faults.truncated = true;
  const CallResult cut = pull(cursor);
  EXPECT_EQ(cut.status, REOS_RETRY) << cut.message;
  EXPECT_NE(cut.message.find("truncated"), std::string::npos) << cut.message;
  EXPECT_NE(cut.message.find("not recorded"), std::string::npos) << cut.message;
  EXPECT_FALSE(cut.cursor);  // the host keeps the old cursor: the page is fetched again
  server_.faults.truncated = false;
  EXPECT_EQ(sync(cursor), keys(3, 7));
}

TEST_F(RetsPlugin, MalformedXmlFailsClearly) {
  create();
  server_.faults.malformed = true;
  const CallResult r = pull("");
  EXPECT_EQ(r.status, REOS_FAIL);
  EXPECT_NE(r.message.find("malformed XML"), std::string::npos) << r.message;
  EXPECT_FALSE(r.cursor);
}

TEST_F(RetsPlugin, ServerThatIgnoresOffsetIsDetected) {
  create();
  server_.faults.ignore_offset = true;
  const CallResult first = pull("");
  ASSERT_EQ(first.status, REOS_OK) << first.message;
  const CallResult second = pull(*first.cursor);
  EXPECT_EQ(second.status, REOS_FAIL);
  EXPECT_NE(second.message.find("ignores Offset"), std::string::npos) << second.message;
  EXPECT_FALSE(second.cursor);
}

TEST_F(RetsPlugin, OtherReplyCodesFailWithCodeAndText) {
  create();
  server_.faults.reply_code = 20203;
  const CallResult r = pull("");
  EXPECT_EQ(r.status, REOS_FAIL);
  EXPECT_NE(r.message.find("ReplyCode 20203: Miscellaneous search error"), std::string::npos)
      << r.message;
  EXPECT_FALSE(r.cursor);
}

TEST_F(RetsPlugin, ExpiredSessionLogsInAgainAndContinues) {
  create();
  std::string cursor;
  const CallResult first = pull(cursor);
  ASSERT_EQ(first.status, REOS_OK) << first.message;
  cursor = *first.cursor;
  server_.faults.forget_sessions = true;
  EXPECT_EQ(sync(cursor), keys(3, 7));
  EXPECT_EQ(server_.logins.load(), 2);
}

TEST_F(RetsPlugin, BadSettingsAreInvalidAtCreate) {
  auto services = std::make_shared<NetHostServices>("{}", NetHostServices::test_http_settings());
  CallResult created;
  auto made = create_in_process_instance(PluginLibrary::open(RETS_PLUGIN), services, ctx_,
                                         R"({"username":"u","password":"p","class":"R"})", created);
  EXPECT_EQ(made, nullptr);
  EXPECT_EQ(created.status, REOS_INVALID);
  EXPECT_NE(created.message.find("settings.login_url: is required"), std::string::npos)
      << created.message;
}

TEST_F(RetsPlugin, UserAgentAuthorizationIsSentWhenAUaPasswordIsSet) {
  ::setenv("RETS_TEST_UA_PASSWORD", "ua-secret", 1);
  server_.require_ua_password("ua-secret");
  create({{"ua_password", "${RETS_TEST_UA_PASSWORD}"},
          {"user_agent", "Acme/2.0"},
          {"rets_version", "RETS/1.8"},
          {"standard_names", true}});
  std::string cursor;
  EXPECT_EQ(sync(cursor), keys(0, 7));
  EXPECT_EQ(server_.last_headers().at("rets-version"), "RETS/1.8");
  EXPECT_EQ(server_.last_headers().at("user-agent"), "Acme/2.0");
  ::unsetenv("RETS_TEST_UA_PASSWORD");
}

TEST_F(RetsPlugin, MissingUaAuthorizationIsAnAuthFailure) {
  server_.require_ua_password("ua-secret");
  create();
  const CallResult r = pull("");
  EXPECT_EQ(r.status, REOS_INVALID);
  EXPECT_NE(r.message.find("login failed"), std::string::npos) << r.message;
}

TEST_F(RetsPlugin, MaximumRecordsExceededContinuesWithTheNextPage) {
  create();
  server_.faults.code_with_rows = 20208;
  const CallResult r = pull("");
  ASSERT_EQ(r.status, REOS_OK) << r.message;
  EXPECT_EQ(r.emitted.size(), 3u);
  EXPECT_TRUE(r.has_more);
  EXPECT_EQ(nlohmann::json::parse(*r.cursor).at("offset"), 3);
}

TEST_F(RetsPlugin, LargePageThroughThePlugin) {
  constexpr int kRows = 20000;
  server_.set_listings(listings(kRows));
  create({{"limit", kRows}});
  const auto start = std::chrono::steady_clock::now();
  const CallResult r = pull("");
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_EQ(r.status, REOS_OK) << r.message;
  EXPECT_EQ(r.emitted.size(), static_cast<std::size_t>(kRows));
  EXPECT_FALSE(r.has_more);
  std::printf("[ rate     ] plugin: %d rows (Search, parse, emit) in %.3f s: %.0f rows/s\n", kRows,
              secs, kRows / secs);
}

TEST_F(RetsPlugin, PhotosOfEachPageGoToTheBlobStoreWithGetObject) {
  create({{"photos", true}});
  std::string cursor;
  EXPECT_EQ(sync(cursor), keys(0, 7));
  EXPECT_EQ(server_.get_objects.load(), 3);  // one GetObject per page
  // L1000: 2 photos; L1002, L1004, L1006: 1 each; odd keys: 20403 parts, skipped.
  EXPECT_EQ(services_->metric("rets_photos"), 5);
  std::string data;
  ASSERT_EQ(services_->blob_get(ctx_, "rets/Property/Photo/L1000/2", data).status, REOS_OK);
  EXPECT_EQ(data, "\xFF\xD8\xFFjpeg L1000 #2\r\n\r\n\xFF\xD9");
  EXPECT_EQ(services_->blob_get(ctx_, "rets/Property/Photo/L1001/1", data).status, REOS_NOT_FOUND);
}

// Each record of a page with photos is emitted once its GetObject answered, with Media[]
// naming the stored blobs (the key the host's photo fetcher reads, docs/photos.md).
TEST_F(RetsPlugin, RecordsCarryMediaNamingTheStoredBlobs) {
  create({{"photos", true}});
  std::map<std::string, nlohmann::json> media;
  for (std::string cursor;;) {
    const CallResult r = pull(cursor);
    ASSERT_EQ(r.status, REOS_OK) << r.message;
    for (const auto& e : r.emitted) {
      const auto rec = nlohmann::json::parse(e);
      media[rec.at("ListingKey")] = rec.at("Media");
      EXPECT_EQ(rec.at("City"), "Seattle");  // the row's own fields are all still there
    }
    cursor = *r.cursor;
    if (!r.has_more) break;
  }
  ASSERT_EQ(media.size(), 7u);
  EXPECT_EQ(media["L1000"], nlohmann::json::parse(R"([
    {"MediaURL": "reos-blob:rets/Property/Photo/L1000/1", "Order": 1, "MediaKey": "L1000:1",
     "MediaCategory": "Photo", "ShortDescription": "Front of house"},
    {"MediaURL": "reos-blob:rets/Property/Photo/L1000/2", "Order": 2, "MediaKey": "L1000:2",
     "MediaCategory": "Photo"}])"));
  EXPECT_EQ(media["L1004"].size(), 1u);
  EXPECT_EQ(media["L1001"], nlohmann::json::array());  // 20403: no photos
  for (const auto& [key, items] : media)
    for (const auto& item : items) {
      const std::string url = item.at("MediaURL");
      std::string data;
      EXPECT_EQ(
          services_->blob_get(ctx_, url.substr(std::string("reos-blob:").size()), data).status,
          REOS_OK)
          << url;
      EXPECT_EQ(data.substr(0, 3), "\xFF\xD8\xFF");
    }
  EXPECT_EQ(server_.get_objects_by_location.load(), 0);
}

// photo_location: GetObject with Location=1; the server's URLs become MediaURLs, nothing is
// stored (the hub downloads them like any RESO MediaURL).
TEST_F(RetsPlugin, WithLocationTheServersUrlsBecomeMediaUrls) {
  create({{"photos", true}, {"photo_location", true}});
  const CallResult r = pull("");
  ASSERT_EQ(r.status, REOS_OK) << r.message;
  ASSERT_EQ(r.emitted.size(), 3u);  // L1000..L1002
  EXPECT_EQ(nlohmann::json::parse(r.emitted[0]).at("Media"), nlohmann::json::parse(R"([
    {"MediaURL": "http://photos.example.com/L1000/1.jpg", "Order": 1, "MediaKey": "L1000:1",
     "MediaCategory": "Photo", "ShortDescription": "Front of house"},
    {"MediaURL": "http://photos.example.com/L1000/2.jpg", "Order": 2, "MediaKey": "L1000:2",
     "MediaCategory": "Photo"}])"));
  EXPECT_EQ(nlohmann::json::parse(r.emitted[2]).at("Media").at(0).at("MediaURL"),
            "http://photos.example.com/L1002/1.jpg");
  EXPECT_EQ(server_.get_objects_by_location.load(), 1);
  EXPECT_EQ(services_->metric("rets_photos"), 0);  // nothing stored
  std::string data;
  EXPECT_EQ(services_->blob_get(ctx_, "rets/Property/Photo/L1000/1", data).status, REOS_NOT_FOUND);
}

// More keys than one GetObject asks for: several requests, every record still emitted once.
TEST_F(RetsPlugin, ALargePageAsksForPhotosInBoundedBatches) {
  server_.set_listings(listings(250));
  create({{"photos", true}, {"limit", 250}});
  const CallResult r = pull("");
  ASSERT_EQ(r.status, REOS_OK) << r.message;
  ASSERT_EQ(r.emitted.size(), 250u);
  EXPECT_EQ(server_.get_objects.load(), 3);  // 100 + 100 + 50 keys
  std::set<std::string> seen;
  for (const auto& e : r.emitted) {
    const auto rec = nlohmann::json::parse(e);
    seen.insert(rec.at("ListingKey").get<std::string>());
    EXPECT_TRUE(rec.at("Media").is_array());
  }
  EXPECT_EQ(seen.size(), 250u);
}

TEST_F(RetsPlugin, TruncatedGetObjectLeavesThePageUnrecorded) {
  create({{"photos", true}});
  server_.faults.objects_truncated = true;
  const CallResult r = pull("");
  EXPECT_EQ(r.status, REOS_RETRY) << r.message;
  EXPECT_NE(r.message.find("truncated"), std::string::npos) << r.message;
  EXPECT_FALSE(r.cursor);
}

TEST_F(RetsPlugin, MetadataRefusesAClassOrFieldTheServerDoesNotHave) {
  create({{"class", "LND"}});
  CallResult r = pull("");
  EXPECT_EQ(r.status, REOS_INVALID);
  EXPECT_EQ(r.message,
            "settings.class: \"LND\" is not a class of resource Property on this RETS server "
            "(it has: RES, CND)");
  create({{"timestamp_field", "LastModified"}});
  r = pull("");
  EXPECT_EQ(r.status, REOS_INVALID);
  EXPECT_NE(r.message.find("settings.timestamp_field: \"LastModified\" is not a field of "
                           "Property:RES"),
            std::string::npos)
      << r.message;
  EXPECT_EQ(server_.searches.load(), 0);
}

TEST_F(RetsPlugin, MetadataIsCheckedOncePerInstance) {
  create();
  std::string cursor;
  EXPECT_EQ(sync(cursor), keys(0, 7));
  EXPECT_EQ(sync(cursor).size(), 1u);
  EXPECT_EQ(server_.get_metadata_calls.load(), 2);  // CLASS + TABLE, first pull only
}

TEST_F(RetsPlugin, BasicAuthIsSentWithoutAChallenge) {
  create({{"auth", "basic"}});
  std::string cursor;
  EXPECT_EQ(sync(cursor), keys(0, 7));
  EXPECT_EQ(server_.challenges.load(), 0);
  EXPECT_EQ(server_.last_headers().at("authorization"), "Basic YWdlbnQ6c2VjcmV0");
}
