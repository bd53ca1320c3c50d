// Tests for file_feed's reader: RFC 4180 CSV (quotes, doubled quotes, embedded line breaks,
// CRLF), JSON Lines, paging by cursor, and malformed rows reported with their line.
#include "feed_reader.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

namespace file_feed {
namespace {

using nlohmann::json;

/// A temporary file with the given bytes, removed at the end of the test.
class TempFile {
 public:
  explicit TempFile(const std::string& bytes) {
    static int n = 0;
    // CTest runs each case in its own process, in parallel: the pid keeps their files apart.
    path_ = ::testing::TempDir() + "file_feed_" + std::to_string(::getpid()) + "_" +
            std::to_string(++n) + ".txt";
    std::ofstream(path_, std::ios::binary) << bytes;
  }
  ~TempFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::vector<json> parsed(const Page& page) {
  std::vector<json> out;
  for (const auto& r : page.records) out.push_back(json::parse(r));
  return out;
}

TEST(FileFeedCsv, QuotesDoubledQuotesLineBreaksAndCrlf) {
  TempFile f(
      "id,remarks,price\r\n\"1\",\"big, \"\"sunny\"\"\r\nhouse\",100\r\n2,plain,1.225e+006\n");
  const Page page = read_page(f.path(), Format::csv, Cursor{}, 10);
  const auto rows = parsed(page);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (json{{"id", "1"}, {"remarks", "big, \"sunny\"\r\nhouse"}, {"price", "100"}}));
  EXPECT_EQ(rows[1]["price"], "1.225e+006");
  EXPECT_FALSE(page.has_more);
}

TEST(FileFeedCsv, MalformedRowsAreReportedAndDoNotStopThePage) {
  TempFile f("a,b\n1,2\n1,2,3\n\n\"x\"y,2\n5,6\n\"open,7\n");
  const auto rows = parsed(read_page(f.path(), Format::csv, Cursor{}, 10));
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0], (json{{"a", "1"}, {"b", "2"}}));
  EXPECT_EQ(rows[1], (json{{"_malformed", "expected 2 columns, found 3"}, {"_line", 3}}));
  EXPECT_EQ(rows[2]["_line"], 5);
  EXPECT_NE(rows[2]["_malformed"].get<std::string>().find("after a closing quote"),
            std::string::npos);
  EXPECT_EQ(rows[3], (json{{"a", "5"}, {"b", "6"}}));
  EXPECT_EQ(rows[4], (json{{"_malformed", "unterminated quoted field"}, {"_line", 7}}));
}

TEST(FileFeedCsv, PagesFollowTheCursorToTheEnd) {
  TempFile f("n\n1\n2\n3\n4\n5\n");
  std::vector<std::string> seen;
  Cursor at;
  int pages = 0;
  for (;;) {
    const Page page = read_page(f.path(), Format::csv, parse_cursor(to_string(at)), 2);
    ++pages;
    for (const auto& r : parsed(page)) seen.push_back(r["n"]);
    at = page.next;
    if (!page.has_more) break;
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"1", "2", "3", "4", "5"}));
  EXPECT_EQ(pages, 3);
  EXPECT_TRUE(at.at_end);
  EXPECT_EQ(to_string(at).rfind("end:", 0), 0u);
}

TEST(FileFeedCsv, AFinishedFileIsReadAgainOnlyOnceItChanged) {
  TempFile f("n\n1\n2\n");
  const Page first = read_page(f.path(), Format::csv, Cursor{}, 10);
  ASSERT_EQ(first.records.size(), 2u);
  ASSERT_TRUE(first.next.at_end);
  const Page again = read_page(f.path(), Format::csv, parse_cursor(to_string(first.next)), 10);
  EXPECT_TRUE(again.records.empty());
  EXPECT_FALSE(again.has_more);
  EXPECT_EQ(to_string(again.next), to_string(first.next));
  std::ofstream(f.path(), std::ios::binary | std::ios::app) << "3\n";
  const Page pass2 = read_page(f.path(), Format::csv, again.next, 10);
  EXPECT_EQ(parsed(pass2).size(), 3u);  // a new pass from the start: 1, 2, 3
  EXPECT_EQ(parsed(pass2)[0]["n"], "1");
}

TEST(FileFeedCsv, AFileReplacedMidPassIsReadFromTheStart) {
  TempFile f("n\n1\n2\n3\n");
  const Page first = read_page(f.path(), Format::csv, Cursor{}, 1);
  ASSERT_TRUE(first.has_more);
  Cursor other_file = first.next;
  other_file.inode += 1;  // as if the path now named another file
  const Page page = read_page(f.path(), Format::csv, other_file, 1);
  EXPECT_EQ(parsed(page)[0]["n"], "1");
  Cursor modified = first.next;
  modified.mtime_ns -= 1;  // as if the file was rewritten since the pass started
  EXPECT_EQ(parsed(read_page(f.path(), Format::csv, modified, 1))[0]["n"], "1");
  EXPECT_EQ(parsed(read_page(f.path(), Format::csv, first.next, 1))[0]["n"], "2");
}

TEST(FileFeedCsv, KingCountyHeadParses) {
  const Page page = read_page(REOS_SOURCE_DIR "/tests/listings/fixtures/kc_head.csv", Format::csv,
                              Cursor{}, 1000);
  const auto rows = parsed(page);
  ASSERT_EQ(rows.size(), 50u);
  EXPECT_EQ(rows[0]["id"], "7129300520");
  EXPECT_EQ(rows[0]["date"], "20141013T000000");
  EXPECT_EQ(rows[0]["zipcode"], "98178");
  EXPECT_EQ(rows[0].size(), 21u);
}

TEST(FileFeedJsonl, ObjectsAndBadLines) {
  TempFile f("{\"ListingKey\":\"A\"}\r\n\n[1]\n{oops\n{\"ListingKey\":\"B\"}");
  const Page page = read_page(f.path(), Format::jsonl, Cursor{}, 10);
  const auto rows = parsed(page);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0]["ListingKey"], "A");
  EXPECT_EQ(rows[1], (json{{"_malformed", "expected a JSON object, got array"}, {"_line", 3}}));
  EXPECT_EQ(rows[2]["_line"], 4);
  EXPECT_EQ(rows[3]["ListingKey"], "B");
  EXPECT_FALSE(page.has_more);
}

TEST(FileFeedCursor, RoundTripsAndRefusesGarbage) {
  EXPECT_EQ(parse_cursor("").offset, 0u);
  const Cursor c = parse_cursor("123:7");
  EXPECT_EQ(c.offset, 123u);
  EXPECT_EQ(c.line, 7u);
  EXPECT_EQ(to_string(c), "123:7");
  EXPECT_EQ(to_string(parse_cursor("10:2:99:5")), "10:2:99:5");
  EXPECT_THROW(parse_cursor("10:2:99"), std::invalid_argument);
  EXPECT_EQ(to_string(parse_cursor("end:99:1234:1700000000000000000")),
            "end:99:1234:1700000000000000000");
  EXPECT_TRUE(parse_cursor("end:1:2:3").at_end);
  EXPECT_THROW(parse_cursor("end:1:2"), std::invalid_argument);
  EXPECT_THROW(parse_cursor("1:0"), std::invalid_argument);
  EXPECT_THROW(parse_cursor("-1:1"), std::invalid_argument);
  EXPECT_THROW(parse_cursor("12"), std::invalid_argument);
  EXPECT_THROW(parse_cursor("a:1"), std::invalid_argument);
}

TEST(FileFeed, MissingFileIsAnError) {
  EXPECT_THROW(read_page("/nonexistent/x.csv", Format::csv, Cursor{}, 10), std::runtime_error);
}

}  // namespace
}  // namespace file_feed
