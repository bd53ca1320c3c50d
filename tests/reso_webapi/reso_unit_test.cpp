// The reso_webapi protocol pieces on their own: the page parser (RESO's commander payload,
// counts as number or string, truncation vs malformed), DateTimeOffset ordering, the
// replication filter and URLs, the token endpoint's Basic encoding, Retry-After, the
// $metadata reader and the test server's $filter evaluator.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "oauth2_token_cache.hpp"
#include "odata_filter.hpp"
#include "odata_metadata.hpp"
#include "odata_query.hpp"
#include "reso_http.hpp"
#include "reso_page_parser.hpp"
#include "reso_settings.hpp"
#include "reso_timestamp.hpp"

namespace {

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Collected {
  std::vector<std::string> json, keys, timestamps;
  reso::PageSummary summary;
};

Collected parse(std::string_view body) {
  Collected c;
  c.summary =
      reso::parse_page(body, "ListingKey", "ModificationTimestamp", [&](const reso::PageRecord& r) {
        c.json.emplace_back(r.json);
        c.keys.push_back(r.has_key ? r.key : "-");
        c.timestamps.push_back(r.has_timestamp ? r.timestamp : "-");
      });
  return c;
}

reso::Instant at(const char* text) {
  const auto i = reso::parse_instant(text);
  EXPECT_TRUE(i) << text;
  return i.value_or(reso::Instant{});
}

}  // namespace

TEST(ResoPageParser, ReadsTheCommanderPayloadWithItsStringCount) {
  const std::string body =
      read(RESO_TESTDATA "/reso_web-api-commander_good-property-payload-count.json");
  ASSERT_FALSE(body.empty()) << "shared/testdata/reso is missing";
  const Collected c = parse(body);
  ASSERT_EQ(c.json.size(), 1u);
  EXPECT_EQ(c.summary.count, 42);  // "@odata.count": "42" — a string, and not the page size
  EXPECT_EQ(c.keys[0], "abc123");
  EXPECT_EQ(c.timestamps[0], "2020-04-02T02:02:02.02Z");
  // The record text is passed on exactly, with its collection and 100000.00 as written.
  const auto record = nlohmann::json::parse(c.json[0]);
  EXPECT_EQ(record.at("AccessibilityFeatures").size(), 3u);
  EXPECT_NE(c.json[0].find("100000.00"), std::string::npos);
  EXPECT_TRUE(c.summary.next_link.empty());
}

TEST(ResoPageParser, CountAsNumberNextLinkAndEscapedKeys) {
  const Collected c = parse(
      R"({"@odata.context":"x","@odata.count":7,"value":[{"ListingKey":"a\"b\u00e9","Media":[{"Order":1}],)"
      R"("ModificationTimestamp":"2024-01-01T00:00:00Z"},{"ListingKey":null}],)"
      R"("@odata.nextLink":"http://h/odata/Property?$skiptoken=2"})");
  EXPECT_EQ(c.summary.count, 7);
  EXPECT_EQ(c.summary.next_link, "http://h/odata/Property?$skiptoken=2");
  ASSERT_EQ(c.keys.size(), 2u);
  EXPECT_EQ(c.keys[0], "a\"b\xC3\xA9");
  EXPECT_EQ(c.keys[1], "-");  // null key: no position
  EXPECT_EQ(c.json[1], R"({"ListingKey":null})");
}

TEST(ResoPageParser, TruncatedAndMalformedBodiesAreToldApart) {
  const std::string good =
      R"({"value":[{"ListingKey":"L1","ModificationTimestamp":"2024-01-01T00:00:00Z"}]})";
  for (std::size_t cut = 1; cut < good.size(); ++cut) {
    try {
      parse(good.substr(0, cut));
      ADD_FAILURE() << "accepted a body cut at " << cut;
    } catch (const reso::PageParseError& e) {
      EXPECT_TRUE(e.truncated()) << cut << ": " << e.what();
    }
  }
  try {
    parse("{\"value\":[{\"ListingKey\":\"L1\";\"X\":1}]}");
    ADD_FAILURE();
  } catch (const reso::PageParseError& e) {
    EXPECT_FALSE(e.truncated());
    EXPECT_NE(std::string(e.what()).find("malformed JSON at line 1 column 29"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(parse(R"({"value":[1]})"), reso::PageParseError);
  EXPECT_THROW(parse(R"({"error":{"code":"x"}})"), reso::PageParseError);
  EXPECT_THROW(parse(R"({"@odata.count":"forty","value":[]})"), reso::PageParseError);
  EXPECT_THROW(parse(R"({"value":[]} trailing)"), reso::PageParseError);
  EXPECT_THROW(parse("{\"value\":[{\"a\":\"ctl\x01\"}]}"), reso::PageParseError);
}

TEST(ResoTimestamp, InstantsCompareByTimeNotByText) {
  // Text order says "…02.02Z" < "…02Z"; time says later.
  EXPECT_LT(at("2020-04-02T02:02:02Z"), at("2020-04-02T02:02:02.02Z"));
  EXPECT_EQ(at("2020-04-02T02:02:02.020Z"), at("2020-04-02T02:02:02.02Z"));
  EXPECT_EQ(at("2020-04-02T04:02:02+02:00"), at("2020-04-02T02:02:02Z"));
  EXPECT_EQ(at("1970-01-02T00:00:00Z").seconds, 86400);
  EXPECT_EQ(at("2024-02-29").seconds, at("2024-02-29T00:00:00Z").seconds);
  EXPECT_FALSE(reso::parse_instant("2023-02-29T00:00:00Z"));
  EXPECT_FALSE(reso::parse_instant("2024-01-01T00:00:00"));  // OData requires the offset
  EXPECT_FALSE(reso::parse_instant("2024-01-01 00:00:00Z"));
}

TEST(ResoQuery, ReplicationFilterHasTheListingKeyTieBreaker) {
  reso::Settings s;
  s.base_url = "https://api.example.com/odata";
  EXPECT_EQ(reso::replication_filter(s, std::nullopt), "");
  const reso::Position p{"2024-01-01T10:00:00Z", "O'Brien-1"};
  EXPECT_EQ(reso::replication_filter(s, p),
            "ModificationTimestamp gt 2024-01-01T10:00:00Z or (ModificationTimestamp eq "
            "2024-01-01T10:00:00Z and ListingKey gt 'O''Brien-1')");
  s.filter = "StandardStatus eq 'Active'";
  s.select = "ListPrice, City";
  EXPECT_EQ(reso::replication_filter(s, std::nullopt), "StandardStatus eq 'Active'");
  const std::string url = reso::page_url(s, p, true);
  EXPECT_EQ(url.rfind("https://api.example.com/odata/Property?$filter=%28StandardStatus%20eq%20%27"
                      "Active%27%29%20and%20%28ModificationTimestamp%20gt%202024-01-01T10%3A00",
                      0),
            0u)
      << url;
  EXPECT_NE(url.find("&$orderby=ModificationTimestamp%20asc%2CListingKey%20asc&$top=1000"
                     "&$select=ListPrice%2C%20City%2CListingKey%2CModificationTimestamp"
                     "&$expand=Media&$count=true"),
            std::string::npos)
      << url;
  EXPECT_EQ(reso::percent_encode("+02:00"), "%2B02%3A00");
}

TEST(ResoSettings, RequiredKeysAndUnknownKeysAreNamed) {
  auto refused = [](const char* json) {
    try {
      reso::parse_settings(nlohmann::json::parse(json));
    } catch (const std::exception& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(refused(R"({})"), "settings.base_url: is required");
  EXPECT_EQ(refused(R"({"base_url":"http://x"})"),
            "settings.token_url: is required with auth: oauth2");
  EXPECT_EQ(refused(R"({"base_url":"http://x","auth":"none","page_size":0})"),
            "settings.page_size: expected an integer from 1 to 10000");
  EXPECT_EQ(refused(R"({"base_url":"http://x","auth":"none","pagesize":5})"),
            "settings.pagesize: unknown key");
  EXPECT_EQ(refused(R"({"base_url":"http://x","auth":"bearer"})"),
            "settings.access_token: is required with auth: bearer");
  EXPECT_EQ(refused(R"({"base_url":"http://x/odata/","auth":"none"})"), "accepted");
}

TEST(ResoOAuth2, BasicCredentialsAndRetryAfter) {
  // RFC 4648 §10 vectors, and RFC 7617's example credentials.
  EXPECT_EQ(reso::base64(""), "");
  EXPECT_EQ(reso::base64("f"), "Zg==");
  EXPECT_EQ(reso::base64("fo"), "Zm8=");
  EXPECT_EQ(reso::base64("foobar"), "Zm9vYmFy");
  EXPECT_EQ(reso::base64("Aladdin:open sesame"), "QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
  EXPECT_EQ(reso::retry_after_ms("120", 0), 120000u);
  EXPECT_EQ(reso::retry_after_ms("Thu, 01 Jan 1970 00:00:10 GMT", 4), 6000u);
  EXPECT_EQ(reso::retry_after_ms("Thu, 01 Jan 1970 00:00:10 GMT", 60), 0u);
  EXPECT_FALSE(reso::retry_after_ms("soon", 0));
}

TEST(ResoMetadata, EntitySetFieldsThroughTheSchemaAlias) {
  const std::string edmx = R"xml(<?xml version="1.0"?>
<edmx:Edmx xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx" Version="4.0"><edmx:DataServices>
<Schema xmlns="http://docs.oasis-open.org/odata/ns/edm" Namespace="org.reso.metadata" Alias="reso">
<EntityType Name="Property"><Key><PropertyRef Name="ListingKey"/></Key>
<Property Name="ListingKey" Type="Edm.String"/><Property Name="ModificationTimestamp" Type="Edm.DateTimeOffset"/>
<NavigationProperty Name="Media" Type="Collection(org.reso.metadata.Media)"/></EntityType>
<EntityContainer Name="C"><EntitySet Name="Listings" EntityType="reso.Property"/></EntityContainer>
</Schema></edmx:DataServices></edmx:Edmx>)xml";
  const reso::EntityFields f = reso::entity_fields(edmx, "Listings");
  EXPECT_TRUE(f.found);
  EXPECT_EQ(f.type, "org.reso.metadata.Property");
  EXPECT_EQ(f.properties, (std::set<std::string>{"ListingKey", "ModificationTimestamp"}));
  EXPECT_EQ(f.navigation.count("Media"), 1u);
  EXPECT_FALSE(reso::entity_fields(edmx, "Member").found);
  EXPECT_THROW(reso::entity_fields("<edmx:Edmx>", "Property"), std::runtime_error);
}

TEST(ResoTestServerFilter, ComparisonsAndBoundsAsTheSpecSays) {
  using reos::test::ODataFilter;
  const nlohmann::json rec = {{"ListingKey", "L2"},
                              {"ModificationTimestamp", "2024-01-01T10:00:00.5Z"},
                              {"ListPrice", 500000},
                              {"City", "O'Fallon"},
                              {"Pool", nullptr}};
  auto match = [&](const std::string& f) {
    static const nlohmann::json null_value;
    return ODataFilter::parse(f).matches([&](const std::string& n) -> const nlohmann::json& {
      return rec.contains(n) ? rec.at(n) : null_value;
    });
  };
  EXPECT_TRUE(match("ModificationTimestamp gt 2024-01-01T10:00:00Z"));
  EXPECT_TRUE(match("ModificationTimestamp eq 2024-01-01T12:00:00.500+02:00"));
  EXPECT_TRUE(
      match("ModificationTimestamp gt 2024-01-01T10:00:00.5Z or (ModificationTimestamp eq "
            "2024-01-01T10:00:00.5Z and ListingKey gt 'L1')"));
  EXPECT_FALSE(
      match("ModificationTimestamp gt 2024-01-01T10:00:00.5Z or (ModificationTimestamp eq "
            "2024-01-01T10:00:00.5Z and ListingKey gt 'L2')"));
  EXPECT_TRUE(match("City eq 'O''Fallon' and ListPrice ge 500000 and not (ListPrice gt 500000)"));
  EXPECT_TRUE(match("Pool eq null and City ne null"));
  EXPECT_THROW(ODataFilter::parse("ListPrice gt"), reos::test::FilterError);
  EXPECT_THROW(ODataFilter::parse("(City eq 'x'"), reos::test::FilterError);
  const auto b = ODataFilter::parse(
                     "(City eq 'x') and (ModificationTimestamp gt 2024-01-02T00:00:00Z or "
                     "(ModificationTimestamp eq 2024-01-02T00:00:00Z and ListingKey gt 'a'))")
                     .lower_bound("ModificationTimestamp");
  ASSERT_TRUE(b);
  EXPECT_EQ(*b, at("2024-01-02T00:00:00Z"));
  EXPECT_FALSE(ODataFilter::parse("City eq 'x' or ModificationTimestamp gt 2024-01-02T00:00:00Z")
                   .lower_bound("ModificationTimestamp"));
}

TEST(ResoPageParser, MutatedPagesParseOrFailCleanly) {
  // Every single-byte change of a real page either still parses or throws PageParseError:
  // no other exception, no read past the body (the sanitizer build checks the latter).
  const std::string good =
      R"({"@odata.count":"2","value":[{"ListingKey":"L\u00e91","ModificationTimestamp":)"
      R"("2024-01-01T00:00:00.5Z","ListPrice":1.5e5,"Media":[{"Order":1,"X":[true,false,null]}]},)"
      R"({"ListingKey":"L2","ModificationTimestamp":"2024-01-01T00:00:01Z"}],"@odata.nextLink":"n"})";
  const char replacements[] = {'"', '\\', '{', '}', '[', ']', ',', ':', '0', '-', 'e', ' ', 'u'};
  int parsed = 0, refused = 0;
  for (std::size_t i = 0; i < good.size(); ++i) {
    for (const char r : replacements) {
      std::string body = good;
      body[i] = r;
      try {
        parse(body);
        ++parsed;
      } catch (const reso::PageParseError&) {
        ++refused;
      }
    }
  }
  EXPECT_GT(parsed, 0);
  EXPECT_GT(refused, 0);
}
