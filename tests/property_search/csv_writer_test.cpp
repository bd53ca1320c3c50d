// RFC 4180 fields and records, and the spreadsheet-formula guard.
#include "property_search/csv_writer.hpp"

#include <gtest/gtest.h>

namespace reos::property_search {
namespace {

TEST(CsvWriter, PlainFieldsStayBare) {
  EXPECT_EQ(csv_field(std::string("Seattle"), true), "Seattle");
  EXPECT_EQ(csv_field(std::string("350000.00"), false), "350000.00");
  EXPECT_EQ(csv_field(std::nullopt, true), "");
}

TEST(CsvWriter, SeparatorsQuotesAndLineBreaksAreQuoted) {
  EXPECT_EQ(csv_field(std::string("12 Main St, Apt 4"), true), "\"12 Main St, Apt 4\"");
  EXPECT_EQ(csv_field(std::string("the \"view\" house"), true), "\"the \"\"view\"\" house\"");
  EXPECT_EQ(csv_field(std::string("line one\r\nline two"), true), "\"line one\r\nline two\"");
  EXPECT_EQ(csv_field(std::string("a\nb"), true), "\"a\nb\"");
}

TEST(CsvWriter, FormulaLookingTextIsDefusedOnlyWhenGuarded) {
  EXPECT_EQ(csv_field(std::string("=HYPERLINK(\"x\")"), true), "\"'=HYPERLINK(\"\"x\"\")\"");
  EXPECT_EQ(csv_field(std::string("+1"), true), "'+1");
  EXPECT_EQ(csv_field(std::string("@SUM(A1)"), true), "'@SUM(A1)");
  EXPECT_EQ(csv_field(std::string("-122.3"), false), "-122.3");
}

TEST(CsvWriter, RecordsEndInCrLf) {
  std::string out;
  append_csv_record(out, {"a", "", "\"b,c\""});
  append_csv_record(out, {"d"});
  EXPECT_EQ(out, "a,,\"b,c\"\r\nd\r\n");
}

}  // namespace
}  // namespace reos::property_search
