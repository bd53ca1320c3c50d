// The reso_webapi plugin (libreos_reso_webapi.so) loaded by the host runtime, in process, with
// its HTTP going through the host's ConnectorHttpClient over loopback to ResoTestServer.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "plugin_runtime/in_process_instance.hpp"
#include "plugin_runtime/plugin_library.hpp"
#include "reso_test_server.hpp"
#include "support/loopback_host_services.hpp"

using namespace reos::plugin_runtime;
using reos::test::GeneratedListings;
using reos::test::LoopbackHostServices;
using reos::test::ResoTestServer;

namespace {

std::vector<std::string> keys(int from, int to) {
  std::vector<std::string> out;
  char key[32];
  for (int i = from; i < to; ++i) {
    std::snprintf(key, sizeof key, "L%07d", i);
    out.push_back(key);
  }
  return out;
}

class ResoPlugin : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv("RESO_TEST_CLIENT_ID", "reos-client", 1);
    ::setenv("RESO_TEST_SECRET", "s3cret", 1);
    GeneratedListings g;
    g.count = 7;
    server_.set_listings(reos::test::generate_listings(g));
    ctx_.tenant_id = "acme";
    ctx_.connector_id = "reso";
    ctx_.correlation_id = "corr-reso";
    ctx_.deadline = std::chrono::milliseconds(20000);
  }
  void TearDown() override {
    ::unsetenv("RESO_TEST_CLIENT_ID");
    ::unsetenv("RESO_TEST_SECRET");
  }

  nlohmann::json settings(const nlohmann::json& extra = nlohmann::json::object()) {
    nlohmann::json s = {{"base_url", server_.base_url()},
                        {"token_url", server_.token_url()},
                        {"client_id", "${RESO_TEST_CLIENT_ID}"},
                        {"client_secret", "${RESO_TEST_SECRET}"},
                        {"page_size", 3}};
    s.update(extra);
    return s;
  }

  void create(const nlohmann::json& extra = nlohmann::json::object()) {
    const std::string s = settings(extra).dump();
    services_ =
        std::make_shared<LoopbackHostServices>(s, LoopbackHostServices::test_http_settings());
    CallResult created;
    instance_ =
        create_in_process_instance(PluginLibrary::open(RESO_PLUGIN), services_, ctx_, s, created);
    ASSERT_NE(instance_, nullptr) << created.message;
  }

  CallResult pull(const std::string& cursor) { return instance_->pull(ctx_, cursor); }

  /// Pulls until has_more is false, as the host would (the cursor taken after each page).
  std::vector<std::string> sync(std::string& cursor, int* pages = nullptr) {
    std::vector<std::string> out;
    for (int page = 0; page < 200; ++page) {
      const CallResult r = pull(cursor);
      EXPECT_EQ(r.status, REOS_OK) << r.message;
      if (r.status != REOS_OK) break;
      for (const auto& e : r.emitted) out.push_back(nlohmann::json::parse(e).at("ListingKey"));
      EXPECT_TRUE(r.cursor);
      cursor = *r.cursor;
      if (pages) *pages = page + 1;
      if (!r.has_more) break;
    }
    return out;
  }

  ResoTestServer server_;
  std::shared_ptr<LoopbackHostServices> services_;
  std::unique_ptr<PluginInstance> instance_;
  CallContext ctx_;
};

}  // namespace

TEST_F(ResoPlugin, FullReplicationPagesInTimestampAndKeyOrder) {
  create();
  std::string cursor;
  const CallResult first = pull(cursor);
  ASSERT_EQ(first.status, REOS_OK) << first.message;
  ASSERT_EQ(first.emitted.size(), 3u);
  EXPECT_TRUE(first.has_more);
  const auto rec = nlohmann::json::parse(first.emitted[0]);
  EXPECT_EQ(rec.at("ListingKey"), "L0000000");
  EXPECT_EQ(rec.at("Media").size(), 2u);  // $expand=Media
  EXPECT_EQ(rec.at("Media")[0].at("MediaURL"), "https://photos.example.com/L0000000/1.jpg");
  cursor = *first.cursor;
  int pages = 0;
  EXPECT_EQ(sync(cursor, &pages), keys(3, 7));
  EXPECT_EQ(pages, 2);
  const auto c = nlohmann::json::parse(cursor);
  EXPECT_EQ(c.at("ts"), "2024-01-01T10:00:06Z");
  EXPECT_EQ(c.at("key"), "L0000006");
  EXPECT_EQ(c.at("more"), false);
  const auto log = server_.page_log();
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[0].count("$filter"), 0u);
  EXPECT_EQ(log[0].at("$count"), "true");  // asked on the first page of a sync only
  EXPECT_EQ(log[1].count("$count"), 0u);
  EXPECT_EQ(log[1].at("$filter"),
            "ModificationTimestamp gt 2024-01-01T10:00:02Z or (ModificationTimestamp eq "
            "2024-01-01T10:00:02Z and ListingKey gt 'L0000002')");
  EXPECT_EQ(log[1].at("$orderby"), "ModificationTimestamp asc,ListingKey asc");
  EXPECT_EQ(log[1].at("$top"), "3");
  EXPECT_EQ(log[1].at("$expand"), "Media");
  EXPECT_EQ(server_.token_requests.load(), 1);  // cached across pages
  EXPECT_EQ(server_.metadata_requests.load(), 1);
  EXPECT_EQ(services_->metric("reso_rows"), 7);
  EXPECT_EQ(services_->metric("reso_matches"), 7);
}

TEST_F(ResoPlugin, RecordsSharingATimestampAreNeitherLostNorDuplicatedAcrossPages) {
  GeneratedListings g;
  g.count = 95;
  g.per_timestamp = 20;  // 20 listings per second: every page boundary falls inside a group
  server_.set_listings(reos::test::generate_listings(g));
  create({{"page_size", 7}});
  std::string cursor;
  int pages = 0;
  EXPECT_EQ(sync(cursor, &pages), keys(0, 95));
  EXPECT_EQ(pages, 14);  // 13 full pages of 7, then 4
  // Nothing new: the next sync asks once and gets nothing (no boundary re-pull).
  EXPECT_TRUE(sync(cursor).empty());
}

TEST_F(ResoPlugin, TimestampsOfMixedPrecisionOrderByTimeWithTheCommanderRecord) {
  GeneratedListings g;
  g.count = 4;
  g.start = "2020-04-02T02:02:01";
  g.per_timestamp = 2;  // two at …:01Z, two at …:02Z
  auto listings = reos::test::generate_listings(g);
  for (auto& l : reos::test::listings_from_payload(
           RESO_TESTDATA "/reso_web-api-commander_good-property-payload-count.json"))
    listings.push_back(l);  // abc123 at 2020-04-02T02:02:02.02Z: after …:02Z, text says before
  server_.set_listings(listings);
  server_.faults.count_as_string = true;
  create({{"page_size", 2}});
  std::string cursor;
  EXPECT_EQ(sync(cursor),
            (std::vector<std::string>{"L0000000", "L0000001", "L0000002", "L0000003", "abc123"}));
  EXPECT_EQ(services_->metric("reso_matches"), 5);  // "@odata.count": "5"
  EXPECT_EQ(nlohmann::json::parse(cursor).at("ts"), "2020-04-02T02:02:02.02Z");
}

TEST_F(ResoPlugin, IncrementalSyncFetchesOnlyWhatChanged) {
  create();
  std::string cursor;
  EXPECT_EQ(sync(cursor), keys(0, 7));
  const auto base = reos::test::generate_listings({});
  server_.upsert({reos::test::with_change(reos::test::generate_listings(GeneratedListings{7})[2],
                                          "ListPrice", "250000", "2024-02-01T00:00:00Z")});
  EXPECT_EQ(sync(cursor), (std::vector<std::string>{"L0000002"}));
  EXPECT_EQ(nlohmann::json::parse(cursor).at("ts"), "2024-02-01T00:00:00Z");
}

TEST_F(ResoPlugin, ACrashBeforeCommitFetchesTheSamePageAgainFromTheCommittedCursor) {
  create();
  const CallResult first = pull("");
  ASSERT_EQ(first.status, REOS_OK) << first.message;
  const std::string committed = *first.cursor;
  const CallResult lost = pull(committed);  // the process dies before the host commits this
  ASSERT_EQ(lost.status, REOS_OK);
  create();  // a new process: nothing of the old instance survives
  const CallResult again = pull(committed);
  ASSERT_EQ(again.status, REOS_OK) << again.message;
  EXPECT_EQ(again.emitted, lost.emitted);
  EXPECT_EQ(again.cursor, lost.cursor);
  std::string cursor = *again.cursor;
  EXPECT_EQ(sync(cursor), keys(6, 7));
}

TEST_F(ResoPlugin, TruncatedPageIsRetriedAndNeverRecordedAsDone) {
  create();
  const CallResult first = pull("");
  ASSERT_EQ(first.status, REOS_OK) << first.message;
  std::string cursor = *first.cursor;
  server_.faults.truncated = true;
  const CallResult cut = pull(cursor);
  EXPECT_EQ(cut.status, REOS_RETRY) << cut.message;
  EXPECT_NE(cut.message.find("truncated"), std::string::npos) << cut.message;
  EXPECT_NE(cut.message.find("not recorded"), std::string::npos) << cut.message;
  EXPECT_FALSE(cut.cursor);
  server_.faults.truncated = false;
  EXPECT_EQ(sync(cursor), keys(3, 7));
}

TEST_F(ResoPlugin, MalformedJsonFailsClearly) {
  create();
  server_.faults.malformed = true;
  const CallResult r = pull("");
  EXPECT_EQ(r.status, REOS_FAIL);
  EXPECT_NE(r.message.find("malformed JSON at line 1 column"), std::string::npos) << r.message;
  EXPECT_FALSE(r.cursor);
}

TEST_F(ResoPlugin, ServerErrorsAreRetriedByTheHostThenRetry) {
  create();
  server_.faults.status_500 = 1;  // one 500: the host's retry gets the page
  std::string cursor;
  EXPECT_EQ(sync(cursor), keys(0, 7));
  server_.faults.status_500 = 5;  // more than the host retries
  const CallResult r = pull("");
  EXPECT_EQ(r.status, REOS_RETRY) << r.message;
  EXPECT_NE(r.message.find("500"), std::string::npos) << r.message;
  EXPECT_FALSE(r.cursor);
  server_.faults.status_500 = 0;
}

TEST_F(ResoPlugin, TooManyRequestsWithALongRetryAfterIsRetryWithThatDelay) {
  create();
  server_.faults.throttle = 1;
  server_.faults.retry_after_s = 120;  // beyond the call's deadline: the host hands it back
  const CallResult r = pull("");
  EXPECT_EQ(r.status, REOS_RETRY) << r.message;
  EXPECT_EQ(r.retry_after_ms, 120000u) << r.message;
  EXPECT_FALSE(r.cursor);
  // A short Retry-After is waited out inside the call by the host's client.
  server_.faults.throttle = 1;
  server_.faults.retry_after_s = 1;
  const auto start = std::chrono::steady_clock::now();
  const CallResult ok = pull("");
  EXPECT_EQ(ok.status, REOS_OK) << ok.message;
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(900));
}

TEST_F(ResoPlugin, AnExpiredTokenMidSyncIsRefreshedOnceAndTheSyncGoesOn) {
  create();
  const CallResult first = pull("");
  ASSERT_EQ(first.status, REOS_OK) << first.message;
  std::string cursor = *first.cursor;
  server_.expire_tokens();  // revoked server-side before the client thinks it expires
  EXPECT_EQ(sync(cursor), keys(3, 7));
  EXPECT_EQ(server_.token_requests.load(), 2);
  EXPECT_EQ(server_.unauthorized.load(), 1);
}

TEST_F(ResoPlugin, ATokenIsRefreshedBeforeItExpires) {
  server_.set_token_lifetime(2);  // refreshed 0.4 s before expiry (a fifth of its life)
  create();
  const CallResult first = pull("");
  ASSERT_EQ(first.status, REOS_OK) << first.message;
  std::this_thread::sleep_for(std::chrono::milliseconds(1700));
  const CallResult second = pull(*first.cursor);
  ASSERT_EQ(second.status, REOS_OK) << second.message;
  EXPECT_EQ(server_.token_requests.load(), 2);
  EXPECT_EQ(server_.unauthorized.load(), 0);  // never sent an expired token
}

TEST_F(ResoPlugin, WrongClientSecretIsInvalidWithTheOAuthError) {
  ::setenv("RESO_TEST_SECRET", "wrong", 1);
  create();
  const CallResult r = pull("");
  EXPECT_EQ(r.status, REOS_INVALID);
  EXPECT_NE(r.message.find("refused the client credentials (HTTP 401: invalid_client"),
            std::string::npos)
      << r.message;
  EXPECT_EQ(server_.pages.load(), 0);
}

TEST_F(ResoPlugin, ClientCredentialsInTheFormBodyWork) {
  create({{"client_auth", "post"}, {"scope", "api"}});
  std::string cursor;
  EXPECT_EQ(sync(cursor), keys(0, 7));
}

TEST_F(ResoPlugin, TokenEndpointDownIsRetry) {
  server_.faults.token_500 = true;
  create();
  const CallResult r = pull("");
  EXPECT_EQ(r.status, REOS_RETRY) << r.message;
  EXPECT_NE(r.message.find("OAuth2 token endpoint: HTTP 500"), std::string::npos) << r.message;
}

TEST_F(ResoPlugin, SlowServerTimesOutAsRetry) {
  create();
  const CallResult warm = pull("");  // token and $metadata fetched while the server is quick
  ASSERT_EQ(warm.status, REOS_OK) << warm.message;
  server_.faults.slow_ms = 1500;  // beyond the 1 s timeout
  const CallResult r = pull(*warm.cursor);
  EXPECT_EQ(r.status, REOS_RETRY) << r.message;
  EXPECT_FALSE(r.cursor);
  server_.faults.slow_ms = 0;
}

TEST_F(ResoPlugin, MetadataRefusesFieldsTheServerDoesNotHave) {
  create({{"select", "ListPrice,SwimmingPool"}});
  CallResult r = pull("");
  EXPECT_EQ(r.status, REOS_INVALID);
  EXPECT_EQ(r.message,
            "settings.select: 'SwimmingPool' is not a property of Property in this server's "
            "$metadata");
  create({{"timestamp_field", "LastChange"}});
  r = pull("");
  EXPECT_EQ(r.status, REOS_INVALID);
  EXPECT_NE(r.message.find("settings.timestamp_field: 'LastChange'"), std::string::npos);
  create({{"expand", "Rooms"}});
  r = pull("");
  EXPECT_EQ(r.status, REOS_INVALID);
  EXPECT_NE(r.message.find("settings.expand: 'Rooms' is not a navigation property"),
            std::string::npos);
  EXPECT_EQ(server_.pages.load(), 0);
}

TEST_F(ResoPlugin, AQueryTheServerRefusesFailsWithItsODataError) {
  create({{"filter", "ListPrice gt"}, {"check_metadata", false}});
  const CallResult r = pull("");
  EXPECT_EQ(r.status, REOS_FAIL);
  EXPECT_NE(r.message.find("HTTP 400: BadRequest: The query specified in the URI is not valid"),
            std::string::npos)
      << r.message;
}

TEST_F(ResoPlugin, SelectAndFilterAreSentAndTheKeyFieldsAdded) {
  create({{"select", "ListPrice,City"}, {"filter", "City eq 'Seattle'"}, {"expand", ""}});
  std::string cursor;
  const auto got = sync(cursor);
  EXPECT_EQ(got, (std::vector<std::string>{"L0000000", "L0000005"}));  // Seattle: n % 5 == 0
  const auto log = server_.page_log();
  EXPECT_EQ(log[0].at("$select"), "ListPrice,City,ListingKey,ModificationTimestamp");
  EXPECT_EQ(log[0].count("$expand"), 0u);
}

TEST_F(ResoPlugin, NextLinkPagingFollowsTheServersLinks) {
  reos::test::ResoServerOptions small;
  small.max_page_size = 3;
  ResoTestServer capped(small);
  GeneratedListings g;
  g.count = 8;
  capped.set_listings(reos::test::generate_listings(g));
  create({{"base_url", capped.base_url()},
          {"token_url", capped.token_url()},
          {"page_size", 100},
          {"paging", "next_link"}});
  std::string cursor;
  int pages = 0;
  EXPECT_EQ(sync(cursor, &pages), keys(0, 8));
  EXPECT_EQ(pages, 3);
  const auto log = capped.page_log();
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[1].at("$skiptoken"), "3");
  EXPECT_EQ(log[2].at("$skiptoken"), "6");
  EXPECT_EQ(nlohmann::json::parse(cursor).count("next"), 0u);
}

TEST_F(ResoPlugin, KeysetPagingUnderAServerPageCapAsksAgainFromTheCursor) {
  reos::test::ResoServerOptions small;
  small.max_page_size = 3;
  ResoTestServer capped(small);
  GeneratedListings g;
  g.count = 8;
  capped.set_listings(reos::test::generate_listings(g));
  create({{"base_url", capped.base_url()}, {"token_url", capped.token_url()}, {"page_size", 100}});
  std::string cursor;
  EXPECT_EQ(sync(cursor), keys(0, 8));
  for (const auto& q : capped.page_log()) EXPECT_EQ(q.count("$skiptoken"), 0u);
}

TEST_F(ResoPlugin, AServerThatIgnoresTheFilterIsDetected) {
  create();
  const CallResult first = pull("");
  ASSERT_EQ(first.status, REOS_OK);
  server_.faults.ignore_filter = true;
  const CallResult r = pull(*first.cursor);
  EXPECT_EQ(r.status, REOS_FAIL);
  EXPECT_NE(r.message.find("ignores the $filter tie-breaker"), std::string::npos) << r.message;
  EXPECT_FALSE(r.cursor);
}

TEST_F(ResoPlugin, BadSettingsAreInvalidAtCreate) {
  auto services =
      std::make_shared<LoopbackHostServices>("{}", LoopbackHostServices::test_http_settings());
  CallResult created;
  auto made = create_in_process_instance(PluginLibrary::open(RESO_PLUGIN), services, ctx_,
                                         R"({"base_url":"ftp://x"})", created);
  EXPECT_EQ(made, nullptr);
  EXPECT_EQ(created.status, REOS_INVALID);
  EXPECT_NE(created.message.find("base_url"), std::string::npos) << created.message;
}

TEST_F(ResoPlugin, AFixedBearerTokenIsSentAndA401IsInvalid) {
  ::setenv("RESO_TEST_TOKEN", server_.issue_token(3600).c_str(), 1);
  create({{"auth", "bearer"}, {"access_token", "${RESO_TEST_TOKEN}"}});
  std::string cursor;
  EXPECT_EQ(sync(cursor), keys(0, 7));
  EXPECT_EQ(server_.token_requests.load(), 0);
  server_.expire_tokens();
  const CallResult r = pull("");
  EXPECT_EQ(r.status, REOS_INVALID);
  EXPECT_NE(r.message.find("refused the access token (HTTP 401"), std::string::npos) << r.message;
  ::unsetenv("RESO_TEST_TOKEN");
}

TEST_F(ResoPlugin, AResourceTheServerDoesNotHaveIsInvalid) {
  create({{"resource", "Member"}});
  CallResult r = pull("");
  EXPECT_EQ(r.status, REOS_INVALID);
  EXPECT_EQ(r.message,
            "settings.resource: 'Member' is not an entity set in this server's $metadata");
  create({{"resource", "Member"}, {"check_metadata", false}});
  r = pull("");
  EXPECT_EQ(r.status, REOS_INVALID);
  EXPECT_NE(r.message.find("HTTP 404"), std::string::npos) << r.message;
  EXPECT_NE(r.message.find("check base_url and resource"), std::string::npos) << r.message;
}

TEST_F(ResoPlugin, AThousandListingsWithOneTimestampArriveOnceEach) {
  GeneratedListings g;
  g.count = 1000;
  g.per_timestamp = 1000;  // one bulk update stamped them all
  server_.set_listings(reos::test::generate_listings(g));
  create({{"page_size", 64}});
  std::string cursor;
  EXPECT_EQ(sync(cursor), keys(0, 1000));
  EXPECT_EQ(services_->metric("reso_duplicates_skipped"), 0);
}

TEST_F(ResoPlugin, NextLinkPagingResumesFromTheStoredLinkAfterACrash) {
  reos::test::ResoServerOptions small;
  small.max_page_size = 3;
  ResoTestServer capped(small);
  GeneratedListings g;
  g.count = 8;
  capped.set_listings(reos::test::generate_listings(g));
  const nlohmann::json extra = {{"base_url", capped.base_url()},
                                {"token_url", capped.token_url()},
                                {"page_size", 100},
                                {"paging", "next_link"}};
  create(extra);
  const CallResult first = pull("");
  ASSERT_EQ(first.status, REOS_OK) << first.message;
  const auto c = nlohmann::json::parse(*first.cursor);
  EXPECT_NE(c.at("next").get<std::string>().find("$skiptoken=3"), std::string::npos);
  create(extra);  // a new process from the committed cursor
  std::string cursor = *first.cursor;
  EXPECT_EQ(sync(cursor), keys(3, 8));
}
