// Opaque cursors: round trip, URL safety, and refusal of anything the server did not make.
#include "property_search/page_cursor.hpp"

#include <gtest/gtest.h>

namespace reos::property_search {
namespace {

TEST(PageCursor, RoundTripsStringsAndNulls) {
  const CursorParts parts = {std::string("-price"), std::nullopt, std::string("KEY/1+2 é")};
  const std::string cursor = encode_cursor(parts);
  EXPECT_EQ(
      cursor.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
      std::string::npos)
      << cursor;
  const std::optional<CursorParts> back = decode_cursor(cursor);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, parts);
}

TEST(PageCursor, EveryLengthRoundTrips) {
  for (std::size_t n = 0; n < 40; ++n) {
    const CursorParts parts = {std::string(n, 'x')};
    EXPECT_EQ(decode_cursor(encode_cursor(parts)), parts) << n;
  }
}

TEST(PageCursor, RefusesForeignText) {
  EXPECT_FALSE(decode_cursor(""));
  EXPECT_FALSE(decode_cursor("not a cursor!"));
  EXPECT_FALSE(decode_cursor("eyJhIjoxfQ"));  // base64url of {"a":1}: not an array
  EXPECT_FALSE(decode_cursor("WzFd"));        // [1]: a number, not a string
  EXPECT_FALSE(decode_cursor("W10"));         // []: empty
  EXPECT_FALSE(decode_cursor("WyJhIl0="));    // padded: not our alphabet
  EXPECT_FALSE(decode_cursor(std::string(5000, 'A')));
}

}  // namespace
}  // namespace reos::property_search
