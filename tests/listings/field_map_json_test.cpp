// Field maps with `type: json`: a JSON array or object passed through whole (RESO Media[]),
// canonical Media checked against schemas/property.json's Media items, PhotosCount following
// Media, and connectors/mls/reso_generic.yaml on a RESO record with $expand=Media.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "blobs/photo_media.hpp"
#include "listings/field_map.hpp"

namespace reos::listings {
namespace {

using nlohmann::json;
using pipeline::RecordJson;

const char* kJsonMap = R"(
fields:
  ListingKey: { from: k, required: true }
  Media: { from: m, type: json }
  PhotosCount: { from: n, type: integer }
  X_Extra: { from: x, type: json }
)";

Normalized apply(const json& raw) {
  static const FieldMap map = FieldMap::parse(kJsonMap, "json.yaml");
  return map.apply(RecordJson::parse(raw.dump()));
}

json photo(const std::string& url, int order) {
  return {{"MediaURL", url}, {"Order", order}, {"MediaCategory", "Photo"}};
}

TEST(FieldMapJson, PassesArraysAndObjectsThroughAndParsesJsonText) {
  const json media = {photo("https://p.example/1.jpg", 1), photo("reos-blob:rets/a/1", 2)};
  Normalized n = apply({{"k", "L1"}, {"m", media}, {"x", {{"a", {1, 2}}}}});
  ASSERT_TRUE(n.ok) << n.reason;
  EXPECT_EQ(n.record.value().at("Media"), media);
  EXPECT_EQ(n.record.value().at("X_Extra"), (json{{"a", {1, 2}}}));
  // A CSV column holding JSON text is parsed; blank and null are missing.
  n = apply({{"k", "L1"}, {"m", " "}, {"x", R"([1,"two"])"}});
  ASSERT_TRUE(n.ok) << n.reason;
  EXPECT_EQ(n.record.value(), (json{{"ListingKey", "L1"}, {"X_Extra", {1, "two"}}}));
  EXPECT_EQ(apply({{"k", "L1"}, {"m", nullptr}}).record.value(), (json{{"ListingKey", "L1"}}));
}

TEST(FieldMapJson, NullMembersAreDroppedAndWholeOrdersAreIntegers) {
  const Normalized n = apply({{"k", "L1"},
                              {"m",
                               {{{"MediaURL", "https://p.example/1.jpg"},
                                 {"Order", 2.0},
                                 {"ShortDescription", nullptr},
                                 {"ImageWidth", 1024}}}}});
  ASSERT_TRUE(n.ok) << n.reason;
  EXPECT_EQ(n.record.value().at("Media"),
            (json{{{"MediaURL", "https://p.example/1.jpg"}, {"Order", 2}, {"ImageWidth", 1024}}}));
  EXPECT_TRUE(n.record.value().at("Media")[0].at("Order").is_number_integer());
}

TEST(FieldMapJson, BadValuesAreRefusedWithTheReason) {
  auto reason = [](const json& m) {
    const Normalized n = apply({{"k", "L1"}, {"m", m}});
    EXPECT_FALSE(n.ok);
    return n.reason;
  };
  EXPECT_EQ(reason("[1,"), "Media: '[1,' is not JSON");
  EXPECT_EQ(reason(7), "Media: expected a JSON array or object, got number");
  EXPECT_EQ(reason("\"text\""), "Media: expected a JSON array or object, got string");
  EXPECT_EQ(reason(json::object()), "Media: expected an array of media objects");
  EXPECT_EQ(reason({1}), "Media: item 0: expected an object");
  EXPECT_EQ(reason({photo("https://p/1", 1), {{"Order", 2}}}),
            "Media: item 1: MediaURL is missing");
  EXPECT_EQ(reason(json::array({photo("photo 1.jpg", 1)})),
            "Media: item 0: MediaURL \"photo 1.jpg\" is not a URI");
  EXPECT_EQ(reason(json::array({photo("https://p/1", -1)})),
            "Media: item 0: Order: expected a non-negative integer, got -1");
  EXPECT_EQ(reason({{{"MediaURL", "https://p/1"}, {"Order", "1"}}}),
            "Media: item 0: Order: expected a non-negative integer, got \"1\"");
  EXPECT_EQ(reason({{{"MediaURL", "https://p/1"}, {"MediaKey", 5}}}),
            "Media: item 0: MediaKey: expected a string, got 5");
  // Any JSON is fine for a field that is not Media; a scalar is not.
  EXPECT_TRUE(apply({{"k", "L1"}, {"x", {{"MediaURL", 1}}}}).ok);
  EXPECT_EQ(apply({{"k", "L1"}, {"x", true}}).reason,
            "X_Extra: expected a JSON array or object, got boolean");
}

TEST(FieldMapJson, PhotosCountFollowsMediaWhenTheRecordHasMedia) {
  json media = {photo("https://p/1", 1),
                photo("https://p/2", 2),
                {{"MediaURL", "https://p/tour"}, {"MediaCategory", "Virtual Tour"}},
                {{"MediaURL", "https://p/plan"}, {"MediaCategory", "Floor Plan"}}};
  EXPECT_EQ(apply({{"k", "L1"}, {"m", media}, {"n", "12"}}).record.value().at("PhotosCount"), 3);
  // The same count as the photo fetcher's own rule, on a mix of categories and spellings.
  media.push_back({{"MediaURL", "https://p/v"}, {"MediaCategory", "Video"}});
  media.push_back({{"MediaURL", "https://p/i"}, {"MediaCategory", "IMAGE"}});
  media.push_back({{"MediaURL", "https://p/fp"}, {"MediaCategory", "FloorPlan"}});
  EXPECT_EQ(apply({{"k", "L1"}, {"m", media}}).record.value().at("PhotosCount"),
            blobs::wanted_photos(media.dump()).size());
  EXPECT_EQ(blobs::wanted_photos(media.dump()).size(), 5u);
  EXPECT_EQ(
      apply({{"k", "L1"}, {"m", json::array()}, {"n", "12"}}).record.value().at("PhotosCount"), 0);
  // Without Media the source's count stands.
  EXPECT_EQ(apply({{"k", "L1"}, {"n", "12"}}).record.value().at("PhotosCount"), 12);
}

TEST(FieldMapJson, SpecErrorsNameFileLineAndField) {
  auto error = [](const std::string& yaml) {
    try {
      FieldMap::parse(yaml, "m.yaml");
    } catch (const FieldMapError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const std::string why =
      ": type json takes one source field, without lookup, round or a typed part";
  EXPECT_EQ(error("fields:\n  Media: { from: [a, b], type: json }\n"),
            "m.yaml:2:10: fields.Media" + why);
  EXPECT_EQ(error("fields:\n  Media: { from: a, type: json, lookup: { x: y } }\n"),
            "m.yaml:2:10: fields.Media" + why);
}

TEST(FieldMapJson, JsonFieldsAreNotCheckedAgainstTheSourcesMetadata) {
  const FieldMap map = FieldMap::parse(kJsonMap, "json.yaml");
  const auto problems = map.unknown_source_fields({"k", "ListPrice"});
  ASSERT_EQ(problems.size(), 1u);  // n; not m or x, which the plugin assembles
  EXPECT_EQ(problems[0],
            "json.yaml:5:24: fields.PhotosCount.from: \"n\" is not a field of the source (its "
            "metadata has: k, ListPrice)");
}

TEST(ResoFieldMap, CarriesExpandedMediaAndCountsItsPhotos) {
  const FieldMap map = FieldMap::load(REOS_SOURCE_DIR "/connectors/mls/reso_generic.yaml");
  const json media = {{{"MediaKey", "L1-1"},
                       {"ResourceRecordKey", "L1"},
                       {"Order", 1},
                       {"MediaURL", "https://photos.example.com/L1/1.jpg"},
                       {"MediaCategory", "Photo"},
                       {"ShortDescription", nullptr}}};
  const Normalized n = map.apply(RecordJson::parse(json{
      {"ListingKey", "L1"},
      {"ModificationTimestamp", "2024-01-01T00:00:00Z"},
      {"PhotosCount", 4},
      {"Media", media}}.dump()));
  ASSERT_TRUE(n.ok) << n.reason;
  json want = media;
  want[0].erase("ShortDescription");
  EXPECT_EQ(n.record.value().at("Media"), want);
  EXPECT_EQ(n.record.value().at("PhotosCount"), 1);  // Media wins over the server's count
}

}  // namespace
}  // namespace reos::listings
