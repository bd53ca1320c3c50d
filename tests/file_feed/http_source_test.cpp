// file_feed reading a feed over real HTTP (loopback) by byte ranges, against a small server in
// the test that implements Range / Content-Range / 416 (RFC 9110 §14) and can ignore Range.
#include "http_source.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "feed_server.hpp"
#include "support/http_client.hpp"

namespace file_feed {
namespace {

// A real GET over loopback (libcurl), as the host's client would do it.
HttpGet curl_get() {
  return [](const std::string& url, const Headers& headers) {
    reos::test::ClientRequest req;
    req.url = url;
    for (const auto& [name, value] : headers) req.headers.push_back(name + ": " + value);
    const reos::test::ClientResponse res = reos::test::perform(req);
    if (res.curl_code != CURLE_OK) throw std::runtime_error(res.curl_error);
    HttpReply reply;
    reply.status = static_cast<int>(res.status);
    for (const auto& [name, value] : res.headers) reply.headers.emplace_back(name, value);
    reply.body = res.body;
    return reply;
  };
}

std::string csv(int rows) {
  std::string s = "ListingKey,City,Remarks\r\n";
  for (int i = 1; i <= rows; ++i)
    s += "K" + std::to_string(i) + ",Seattle,\"quoted, with a\nline break " + std::to_string(i) +
         "\"\r\n";
  return s;
}

std::vector<std::string> read_all(ByteSource& source, Format format, std::size_t batch,
                                  Cursor* last = nullptr) {
  std::vector<std::string> records;
  Cursor cursor;
  for (int guard = 0; guard < 10000; ++guard) {
    const Page page = read_page(source, format, cursor, batch);
    records.insert(records.end(), page.records.begin(), page.records.end());
    cursor = page.next;
    if (!page.has_more) break;
  }
  if (last) *last = cursor;
  return records;
}

TEST(FileFeedHttp, PagesByRangeMatchTheLocalFileRead) {
  FeedServer server;
  const std::string body = csv(300);
  server.set("kc.csv", body);
  const auto local =
      std::filesystem::temp_directory_path() / ("reos-feed-" + std::to_string(::getpid()) + ".csv");
  std::ofstream(local, std::ios::binary) << body;
  FileSource file(local.string());
  const std::vector<std::string> expected = read_all(file, Format::csv, 50);
  std::filesystem::remove(local);
  ASSERT_EQ(expected.size(), 300u);

  HttpSource source(server.url("kc.csv"), curl_get(), 1000);
  Cursor end;
  EXPECT_EQ(read_all(source, Format::csv, 50, &end), expected);
  EXPECT_TRUE(source.ranges_supported());
  EXPECT_LE(server.largest_body.load(), 1000u) << "no response larger than one chunk";
  EXPECT_TRUE(end.at_end);
  EXPECT_EQ(end.size, body.size());
  EXPECT_NE(end.inode, 0u);
}

TEST(FileFeedHttp, UnchangedFeedReadsNothingAChangedOneStartsAgain) {
  FeedServer server;
  server.set("f.csv", csv(10));
  HttpSource source(server.url("f.csv"), curl_get(), 4096);
  Cursor end;
  ASSERT_EQ(read_all(source, Format::csv, 100, &end).size(), 10u);
  const int before = server.requests.load();
  Page again = read_page(source, Format::csv, end, 100);
  EXPECT_TRUE(again.records.empty());
  EXPECT_FALSE(again.has_more);
  EXPECT_EQ(server.requests.load() - before, 1) << "only the identity probe";
  server.set("f.csv", csv(12));  // new ETag
  again = read_page(source, Format::csv, end, 100);
  EXPECT_EQ(again.records.size(), 12u);
}

TEST(FileFeedHttp, ChangedMidPassRestartsFromTheStart) {
  FeedServer server;
  server.set("f.csv", csv(20));
  HttpSource source(server.url("f.csv"), curl_get(), 4096);
  const Page first = read_page(source, Format::csv, Cursor{}, 5);
  ASSERT_TRUE(first.has_more);
  server.set("f.csv", csv(20));  // same bytes, new version
  const Page second = read_page(source, Format::csv, first.next, 5);
  EXPECT_EQ(second.records, first.records) << "a pass never mixes two versions";
}

TEST(FileFeedHttp, ServerIgnoringRangeIsReadWhole) {
  FeedServer server;
  server.ignore_range = true;
  server.set("f.jsonl", "{\"ListingKey\":\"A\"}\n{\"ListingKey\":\"B\"}\nnot json\n");
  HttpSource source(server.url("f.jsonl"), curl_get(), 8);
  const auto records = read_all(source, Format::jsonl, 2);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_FALSE(source.ranges_supported());
  EXPECT_NE(records[2].find("_malformed"), std::string::npos);
}

TEST(FileFeedHttp, ServerErrorsAreTransientMissingFeedIsNot) {
  FeedServer server;
  server.set("f.csv", csv(3));
  server.fail_next = 1;
  HttpSource source(server.url("f.csv"), curl_get());
  EXPECT_THROW(read_page(source, Format::csv, Cursor{}, 10), TransientFeedError);
  EXPECT_EQ(read_page(source, Format::csv, Cursor{}, 10).records.size(), 3u);
  HttpSource missing(server.url("nope.csv"), curl_get());
  try {
    read_page(missing, Format::csv, Cursor{}, 10);
    FAIL();
  } catch (const TransientFeedError&) {
    FAIL() << "404 is not transient";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("HTTP 404"), std::string::npos);
  }
}

TEST(FileFeedHttp, NamesLeaveOutCredentialsAndQuery) {
  HttpSource s("https://user:pw@feeds.example/x.csv?token=secret", curl_get());
  EXPECT_EQ(s.name(), "https://feeds.example/x.csv");
}

}  // namespace
}  // namespace file_feed
