// The streaming reply parser against every recorded fixture, odd chunkings, and a generated
// 100,000-row reply (bounded buffering, rows/s printed).
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include "rets_compact_parser.hpp"
#include "rets_login.hpp"

namespace {

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(RETS_FIXTURES) + "/" + name, std::ios::binary);
  EXPECT_TRUE(in) << RETS_FIXTURES << "/" << name
                  << " is missing: the tests read shared/testdata/rets beside the checkout";
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Collected {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> columns;
  rets::ReplySummary summary;
};

// Parses `body` fed in chunks of `chunk` bytes.
Collected parse(const std::string& body, std::size_t chunk = 7) {
  Collected c;
  rets::ReplyParser parser([&](const std::vector<std::string>& cols, std::vector<std::string>& v) {
    c.columns = cols;
    c.rows.push_back(v);
  });
  for (std::size_t at = 0; at < body.size(); at += chunk)
    parser.feed(std::string_view(body).substr(at, chunk));
  parser.finish();
  c.summary = parser.summary();
  return c;
}

}  // namespace

TEST(RetsParser, PhretsCompactSearchGivesColumnsRowsCountAndMaxrows) {
  for (std::size_t chunk : {1u, 3u, 64u, 100000u}) {
    const Collected c = parse(fixture("search_compact_response.xml"), chunk);
    EXPECT_EQ(c.summary.reply_code(), 0);
    EXPECT_EQ(c.summary.reply_text(), "Success");
    ASSERT_TRUE(c.summary.count);
    EXPECT_EQ(*c.summary.count, 182);
    EXPECT_EQ(c.summary.delimiter, '\t');
    EXPECT_EQ(c.columns, (std::vector<std::string>{"LIST_1", "LIST_105"}));
    ASSERT_EQ(c.rows.size(), 3u);
    EXPECT_EQ(c.rows[0], (std::vector<std::string>{"20170119203842554091000000", "00-1941"}));
    EXPECT_EQ(c.rows[1], (std::vector<std::string>{"20060610131712009195000000", "06-654"}));
    EXPECT_EQ(c.rows[2], (std::vector<std::string>{"20120820205500881272000000", "13-88"}));
    EXPECT_EQ(c.summary.rows, 3u);
    EXPECT_TRUE(c.summary.maxrows);
  }
}

TEST(RetsParser, LoginReplyCapabilitiesAreRelativeAndResolveAgainstTheLoginUrl) {
  for (const char* name :
       {"login_response.xml", "search_login_response.xml", "metadata_login_response.xml"}) {
    const Collected c = parse(fixture(name));
    EXPECT_EQ(c.summary.reply_code(), 0) << name;
    EXPECT_TRUE(c.rows.empty());
    const auto caps = rets::capabilities_from_login(c.summary.response_text,
                                                    "http://sample.data.crea.ca:80/rets2_1/Login");
    EXPECT_EQ(caps.search, "http://sample.data.crea.ca:80/rets2_1/Search");
    EXPECT_EQ(caps.get_metadata, "http://sample.data.crea.ca:80/rets2_1/GetMetadata");
    EXPECT_EQ(caps.get_object, "http://sample.data.crea.ca:80/rets2_1/GetObject");
    EXPECT_EQ(caps.logout, "http://sample.data.crea.ca:80/rets2_1/Logout");
    EXPECT_EQ(caps.all.at("User"), "UNKNOWN,MEMBER,1,20140914184132431197000000");
    EXPECT_EQ(caps.all.at("X-SupportSite"), "http://flexmls.com/rets/");  // no trailing CR
    EXPECT_EQ(caps.all.at("MetadataTimestamp"), "2017-03-31T21:04:02Z");
  }
}

TEST(RetsParser, CapabilitiesKeepEqualsInValuesAndTrimSpacesAroundEquals) {
  const auto a =
      rets::parse_capabilities(parse(fixture("estately_capabilities.xml")).summary.response_text);
  EXPECT_EQ(a.size(), 2u);
  EXPECT_EQ(a.at("Abc"), "123");
  EXPECT_EQ(a.at("Def"), "ghi=jk");
  const auto b = rets::parse_capabilities(
      parse(fixture("estately_capabilities_with_whitespace.xml")).summary.response_text);
  EXPECT_EQ(b.size(), 1u);
  EXPECT_EQ(b.at("Action"), "/RETS/Action");
}

TEST(RetsParser, ReplyCodesFromEnvelopeAndRetsStatusChild) {
  struct Case {
    const char* file;
    int code;
    const char* text;
  } cases[] = {
      {"estately_rets_reply.xml", 0, "OK"},
      {"estately_rets_no_records_error.xml", 20201, "Error message"},
      {"estately_rets_no_object_error.xml", 20403, "Error message"},
      {"estately_rets_invalid_request_error.xml", 123, "Error message"},
      {"estately_rets_status_no_matching_records.xml", 20201, "No matching records were found"},
  };
  for (const Case& c : cases) {
    const Collected r = parse(fixture(c.file));
    EXPECT_EQ(r.summary.reply_code(), c.code) << c.file;
    EXPECT_EQ(r.summary.reply_text(), c.text) << c.file;
    EXPECT_TRUE(r.rows.empty());
  }
  const Collected s = parse(fixture("estately_rets_status_no_matching_records.xml"));
  EXPECT_EQ(s.summary.envelope_code, 0);
  EXPECT_EQ(*s.summary.status_code, 20201);
}

TEST(RetsParser, CountOnlyReply) {
  const Collected c = parse(fixture("estately_count_only.xml"));
  EXPECT_EQ(c.summary.reply_code(), 0);
  ASSERT_TRUE(c.summary.count);
  EXPECT_EQ(*c.summary.count, 1234);
  EXPECT_TRUE(c.rows.empty());
  EXPECT_FALSE(c.summary.maxrows);
}

TEST(RetsParser, GetMetadataSystemReplyParsesAsSuccessWithoutRows) {
  const Collected c = parse(fixture("getmetadata_system_response.xml"));
  EXPECT_EQ(c.summary.reply_code(), 0);
  EXPECT_EQ(c.summary.reply_text(), "Success");
  EXPECT_TRUE(c.rows.empty());
}

TEST(RetsParser, DelimiterHexOrDecimalAndSplitting) {
  EXPECT_EQ(rets::parse_delimiter("09"), '\t');
  EXPECT_EQ(rets::parse_delimiter("2C"), ',');
  EXPECT_EQ(rets::parse_delimiter("7c"), '|');
  EXPECT_EQ(rets::parse_delimiter("9"), '\t');
  EXPECT_EQ(rets::parse_delimiter("124"), '|');
  EXPECT_THROW(rets::parse_delimiter("tab"), rets::ParseError);
  EXPECT_EQ(rets::split_compact("|a||c|", '|'), (std::vector<std::string>{"a", "", "c"}));
  EXPECT_EQ(rets::split_compact("a|b", '|'), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(rets::split_compact("||", '|'), (std::vector<std::string>{""}));
  const Collected c = parse(
      "<RETS ReplyCode=\"0\" ReplyText=\"x\"><DELIMITER value=\"7C\"/>"
      "<COLUMNS>|A|B|C|</COLUMNS><DATA>|1||&amp;3|</DATA></RETS>");
  EXPECT_EQ(c.columns, (std::vector<std::string>{"A", "B", "C"}));
  ASSERT_EQ(c.rows.size(), 1u);
  EXPECT_EQ(c.rows[0], (std::vector<std::string>{"1", "", "&3"}));
  EXPECT_FALSE(c.summary.maxrows);
}

TEST(RetsParser, TruncatedAndMalformedRepliesAreTold) {
  const std::string body = fixture("search_compact_response.xml");
  try {
    parse(body.substr(0, body.size() / 2));
    FAIL() << "no error";
  } catch (const rets::ParseError& e) {
    EXPECT_TRUE(e.truncated()) << e.what();
    EXPECT_NE(std::string(e.what()).find("truncated"), std::string::npos) << e.what();
  }
  try {
    parse("<RETS ReplyCode=\"0\"><DATA>x</COLUMNS></RETS>");
    FAIL() << "no error";
  } catch (const rets::ParseError& e) {
    EXPECT_FALSE(e.truncated()) << e.what();
    EXPECT_NE(std::string(e.what()).find("malformed XML"), std::string::npos) << e.what();
  }
  EXPECT_THROW(parse("<RETS ReplyCode=\"abc\"/>"), rets::ParseError);
  EXPECT_THROW(parse("<html><body>Server error</body></html>"), rets::ParseError);
  EXPECT_THROW(parse(""), rets::ParseError);
}

TEST(RetsParser, ExceptionFromTheRowCallbackStopsTheParse) {
  rets::ReplyParser parser([](const std::vector<std::string>&, std::vector<std::string>&) {
    throw std::runtime_error("emit refused");
  });
  EXPECT_THROW(parser.feed(fixture("search_compact_response.xml")), std::runtime_error);
}

TEST(RetsParser, HundredThousandRowsStreamWithBoundedBuffering) {
  constexpr std::size_t kRows = 100000;
  // The generator makes the reply piece by piece too: no 100,000-row string exists.
  std::size_t rows = 0, bytes = 0;
  rets::ReplyParser parser([&](const std::vector<std::string>& cols, std::vector<std::string>& v) {
    ASSERT_EQ(v.size(), cols.size());
    if (rows == 0) {
      EXPECT_EQ(v[0], "L000000");
    }
    ++rows;
  });
  auto feed = [&](const std::string& s) {
    bytes += s.size();
    for (std::size_t at = 0; at < s.size(); at += 4096)
      parser.feed(std::string_view(s).substr(at, 4096));
  };
  const auto start = std::chrono::steady_clock::now();
  feed(
      "<?xml version=\"1.0\"?>\n<RETS ReplyCode=\"0\" ReplyText=\"Success\">\n"
      "<COUNT Records=\"100000\"/>\n<DELIMITER value=\"09\"/>\n"
      "<COLUMNS>\tListingKey\tModificationTimestamp\tListPrice\tCity\tPublicRemarks\t</COLUMNS>\n");
  std::string batch;
  char line[512];
  for (std::size_t i = 0; i < kRows; ++i) {
    std::snprintf(line, sizeof line,
                  "<DATA>\tL%06zu\t2024-01-01T00:%02zu:%02zu\t%zu\tSeattle\tBright 3 bed home "
                  "near the park, updated kitchen &amp; baths\t</DATA>\n",
                  i, (i / 60) % 60, i % 60, 300000 + i);
    batch += line;
    if (batch.size() > 64 * 1024) {
      feed(batch);
      batch.clear();
    }
  }
  batch += "<MAXROWS/>\n</RETS>\n";
  feed(batch);
  parser.finish();
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(rows, kRows);
  EXPECT_EQ(parser.summary().rows, kRows);
  EXPECT_TRUE(parser.summary().maxrows);
  EXPECT_EQ(*parser.summary().count, 100000);
  // Only one row's text is ever buffered (a row is ~120 bytes).
  EXPECT_LT(parser.max_buffered_bytes(), 256u);
  EXPECT_EQ(parser.buffered_bytes(), 0u);
  std::printf("[ rate     ] %zu rows, %.1f MB in %.3f s: %.0f rows/s, %.1f MB/s\n", rows,
              bytes / 1e6, secs, rows / secs, bytes / 1e6 / secs);
}
