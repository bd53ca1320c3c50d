// Conversions of listing-file text to canonical values.
#include "listings/value_convert.hpp"

#include <gtest/gtest.h>

namespace reos::listings {
namespace {

TEST(ValueConvert, NumbersInPercentGNotation) {
  double d;
  std::string why;
  ASSERT_TRUE(to_number("1.225e+006", d, why));
  EXPECT_EQ(d, 1225000.0);
  ASSERT_TRUE(to_number("-122.257", d, why));
  EXPECT_DOUBLE_EQ(d, -122.257);
  EXPECT_FALSE(to_number("12a", d, why));
  EXPECT_EQ(why, "'12a' is not a number");
  EXPECT_FALSE(to_number("nan", d, why));
  EXPECT_FALSE(to_number("inf", d, why));
  EXPECT_FALSE(to_number("0x10", d, why));
  EXPECT_FALSE(to_number("", d, why));
}

TEST(ValueConvert, Integers) {
  long long i;
  std::string why;
  ASSERT_TRUE(to_integer("3", false, i, why));
  EXPECT_EQ(i, 3);
  ASSERT_TRUE(to_integer("1e3", false, i, why));
  EXPECT_EQ(i, 1000);
  EXPECT_FALSE(to_integer("2.25", false, i, why));
  EXPECT_EQ(why, "'2.25' is not a whole number");
  ASSERT_TRUE(to_integer("2.25", true, i, why));
  EXPECT_EQ(i, 2);
}

TEST(ValueConvert, Dates) {
  std::string out, why;
  ASSERT_TRUE(to_date("20141013T000000", out, why));
  EXPECT_EQ(out, "2014-10-13");
  ASSERT_TRUE(to_date("2015-02-28", out, why));
  EXPECT_EQ(out, "2015-02-28");
  ASSERT_TRUE(to_date("20160229", out, why));
  EXPECT_FALSE(to_date("20150229", out, why));
  EXPECT_EQ(why, "'20150229' is not a calendar date");
  EXPECT_FALSE(to_date("2014-13-01", out, why));
  EXPECT_FALSE(to_date("yesterday", out, why));
  EXPECT_FALSE(to_date("20141013X", out, why));
}

TEST(ValueConvert, Timestamps) {
  std::string out, why;
  ASSERT_TRUE(to_timestamp("20141013T000000", out, why));
  EXPECT_EQ(out, "2014-10-13T00:00:00Z");
  ASSERT_TRUE(to_timestamp("2014-10-13T08:30:05.25-07:00", out, why));
  EXPECT_EQ(out, "2014-10-13T08:30:05.25-07:00");
  ASSERT_TRUE(to_timestamp("2014-10-13", out, why));
  EXPECT_EQ(out, "2014-10-13T00:00:00Z");
  EXPECT_FALSE(to_timestamp("2014-10-13T25:00:00Z", out, why));
  EXPECT_FALSE(to_timestamp("2014-10-13T08:00", out, why));
}

TEST(ValueConvert, Booleans) {
  bool b;
  std::string why;
  ASSERT_TRUE(to_boolean("1", b, why));
  EXPECT_TRUE(b);
  ASSERT_TRUE(to_boolean("No", b, why));
  EXPECT_FALSE(b);
  EXPECT_FALSE(to_boolean("maybe", b, why));
}

}  // namespace
}  // namespace reos::listings
