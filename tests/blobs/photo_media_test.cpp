// Which photos a Media[] asks for, and what counts as a picture.
#include "blobs/photo_media.hpp"

#include <gtest/gtest.h>

namespace reos::blobs {
namespace {

TEST(WantedPhotos, OrderIsThePhotoNumberWhenEveryPhotoHasADistinctOne) {
  const auto p = wanted_photos(R"([{"MediaURL":"http://x/2","Order":2,"MediaKey":"m2"},
                                  {"MediaURL":"http://x/1","Order":1}])");
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].n, 2);
  EXPECT_EQ(p[0].media_key, "m2");
  EXPECT_EQ(p[1].n, 1);
  EXPECT_EQ(p[1].url, "http://x/1");
}

TEST(WantedPhotos, PositionWhenOrderIsMissingOrRepeated) {
  auto p = wanted_photos(R"([{"MediaURL":"a","Order":1},{"MediaURL":"b","Order":1}])");
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].n, 0);
  EXPECT_EQ(p[1].n, 1);
  p = wanted_photos(R"([{"MediaURL":"a","Order":5},{"MediaURL":"b"}])");
  EXPECT_EQ(p[0].n, 0);
  EXPECT_EQ(p[1].n, 1);
}

TEST(WantedPhotos, SkipsNonPicturesAndItemsWithoutAUrl) {
  const auto p = wanted_photos(R"([{"MediaURL":"v","MediaCategory":"Video"},
      {"MediaURL":"d","MediaCategory":"Document"},{"Order":3},{"MediaURL":""},
      {"MediaURL":"f","MediaCategory":"Floor Plan"},{"MediaURL":"p","MediaCategory":"Photo"}, 7])");
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].url, "f");
  EXPECT_EQ(p[1].url, "p");
  EXPECT_TRUE(wanted_photos("null").empty());
  EXPECT_TRUE(wanted_photos("{\"MediaURL\":\"x\"}").empty());
  EXPECT_TRUE(wanted_photos("not json").empty());
}

TEST(PhotoContentType, SniffedFromMagicNumbersBeforeTheDeclaredType) {
  EXPECT_EQ(photo_content_type(std::string("\xFF\xD8\xFF\xE0xx", 6), "text/html"), "image/jpeg");
  EXPECT_EQ(photo_content_type(std::string("\x89PNG\r\n\x1A\nxx", 10), ""), "image/png");
  EXPECT_EQ(photo_content_type("GIF89a...", ""), "image/gif");
  EXPECT_EQ(photo_content_type(std::string("RIFF\x10\0\0\0WEBPVP8 ", 16), ""), "image/webp");
  EXPECT_EQ(photo_content_type("BMxxxx", "image/bmp; q=1"), "image/bmp");
  EXPECT_EQ(photo_content_type("<html>", "text/html"), "");
  EXPECT_EQ(photo_content_type("<svg/>", "image/svg+xml"), "") << "scripts in SVG: refused";
  EXPECT_EQ(photo_content_type("xx", "application/octet-stream"), "");
}

TEST(PhotoBlobKey, IsContentAddressed) {
  EXPECT_EQ(photo_blob_key("abcdef"), "photos/sha256/ab/abcdef");
}

}  // namespace
}  // namespace reos::blobs
