// Media[] from GetObject objects (plugins/rets/rets_photos.*): the blob key convention the
// host's photo fetcher reads (docs/photos.md), Order from Object-ID, and the member appended to
// an already written row.
#include "rets_photos.hpp"

#include <gtest/gtest.h>

namespace rets {
namespace {

RetsObject object(std::string key, std::string id) {
  RetsObject o;
  o.content_id = std::move(key);
  o.object_id = std::move(id);
  o.data = "\xFF\xD8\xFF";
  return o;
}

TEST(RetsPhotos, MediaNamesTheBlobKeyAndTakesOrderFromTheObjectId) {
  Settings s;
  s.resource = "Property";
  s.photo_type = "HiRes";
  RetsObject a = object("L\"1", "3");
  a.description = "Deck\tview";
  const RetsObject b = object("L\"1", "");  // no Object-ID: stored as 0, no Order
  RetsObject c = object("L\"1", "x7");      // not a number: no Order
  c.data.clear();
  c.location = "https://img.example/x7.jpg";  // Location=1: the server's URL, nothing stored
  EXPECT_EQ(photo_blob_key(s, a), "rets/Property/HiRes/L\"1/3");
  EXPECT_EQ(media_json(s, {&a, &b, &c}),
            R"([{"MediaURL":"reos-blob:rets/Property/HiRes/L\"1/3","Order":3,"MediaKey":"L\"1:3",)"
            R"("MediaCategory":"Photo","ShortDescription":"Deck\tview"},)"
            R"({"MediaURL":"reos-blob:rets/Property/HiRes/L\"1/0","MediaKey":"L\"1:0",)"
            R"("MediaCategory":"Photo"},)"
            R"({"MediaURL":"https://img.example/x7.jpg","MediaKey":"L\"1:x7",)"
            R"("MediaCategory":"Photo"}])");
  EXPECT_EQ(media_json(s, {}), "[]");
}

TEST(RetsPhotos, MediaIsAppendedAsTheRowsLastMember) {
  EXPECT_EQ(with_media(R"({"ListingKey":"L1"})", "[]"), R"({"ListingKey":"L1","Media":[]})");
  EXPECT_EQ(with_media("{}", "[1]"), R"({"Media":[1]})");
  EXPECT_EQ(with_media(R"({"A":"}"})", "[]"), R"({"A":"}","Media":[]})");
}

}  // namespace
}  // namespace rets
