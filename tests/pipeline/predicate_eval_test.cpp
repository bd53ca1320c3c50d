// The predicate language, row by row: expression, record, expected result. Each row can fail
// on its own (the row's expression is in the failure message).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pipeline/predicate_parser.hpp"

namespace reos::pipeline {
namespace {

struct Row {
  const char* expression;
  const char* record;
  bool expected;
};

const char* const kListing = R"({
  "ListPrice": 450000, "OriginalListPrice": 475000.5, "Bedrooms": 3, "Ratio": 0.75,
  "StandardStatus": "Active", "City": "Seattle", "NewConstruction": true, "Pool": false,
  "HOA": null, "Media": [{"MediaURL": "https://x/1.jpg"}, {"MediaURL": "https://x/2.jpg"}],
  "contact": {"email": "a@b.c", "phones": ["206", "425"]}, "Big": 18446744073709551615,
  "Neg": -5, "Empty": ""
})";

const std::vector<Row> kRows = {
    // == and != on every type
    {"ListPrice == 450000", kListing, true},
    {"ListPrice == 450000.0", kListing, true},
    {"ListPrice != 450000", kListing, false},
    {"City == \"Seattle\"", kListing, true},
    {"City == 'Seattle'", kListing, true},
    {"City == \"seattle\"", kListing, false},
    {"City != \"Kent\"", kListing, true},
    {"NewConstruction == true", kListing, true},
    {"Pool == false", kListing, true},
    {"Pool != true", kListing, true},
    {"HOA == null", kListing, true},
    {"Empty == ''", kListing, true},
    // ordering: numbers (int/float mixed), strings bytewise
    {"ListPrice < 500000", kListing, true},
    {"ListPrice <= 450000", kListing, true},
    {"ListPrice > 450000", kListing, false},
    {"ListPrice >= 450000", kListing, true},
    {"ListPrice < OriginalListPrice", kListing, true},
    {"OriginalListPrice > 475000", kListing, true},
    {"Ratio < 1", kListing, true},
    {"Neg < 0 and Neg >= -5", kListing, true},
    {"Big > 9223372036854775807", kListing, true},
    {"Big > 1.0e19", kListing, true},
    {"Big < 1.0e19", kListing, false},
    {"City > \"Kent\"", kListing, true},
    {"City < \"Seattlf\"", kListing, true},
    {"\"B\" < \"a\"", "{}", true},
    // different types: == false, != true, ordering false, booleans unordered
    {"ListPrice == \"450000\"", kListing, false},
    {"ListPrice != \"450000\"", kListing, true},
    {"City < 5", kListing, false},
    {"City >= 5", kListing, false},
    {"NewConstruction > false", kListing, false},
    {"NewConstruction == 1", kListing, false},
    {"HOA < 1", kListing, false},
    {"Media == null", kListing, false},
    // missing fields are null
    {"Missing == null", kListing, true},
    {"Missing == 5", kListing, false},
    {"Missing != 5", kListing, true},
    {"not Missing == 5", kListing, true},
    {"Missing < 5", kListing, false},
    {"Missing >= 5", kListing, false},
    {"exists(Missing)", kListing, false},
    {"exists(HOA)", kListing, false},
    {"exists(Pool)", kListing, true},
    {"exists(ListPrice) and ListPrice != 1", kListing, true},
    // nested paths and array indices
    {"contact.email == \"a@b.c\"", kListing, true},
    {"contact.phones[1] == \"425\"", kListing, true},
    {"contact.phones[2] == null", kListing, true},
    {"Media[0].MediaURL == \"https://x/1.jpg\"", kListing, true},
    {"exists(Media[1].MediaURL)", kListing, true},
    {"exists(Media[2].MediaURL)", kListing, false},
    {"exists(City.name)", kListing, false},
    {"exists(contact[0])", kListing, false},
    // in
    {"City in [\"Seattle\", \"Kent\"]", kListing, true},
    {"City in ['Bellevue', 'Kent']", kListing, false},
    {"Bedrooms in [2, 3, 4]", kListing, true},
    {"Bedrooms in [3.0]", kListing, true},
    {"Bedrooms in [\"3\"]", kListing, false},
    {"Missing in [null]", kListing, true},
    {"not City in [\"Kent\"]", kListing, true},
    // precedence: not > and > or
    {"true or false and false", "{}", true},
    {"(true or false) and false", "{}", false},
    {"not false and false", "{}", false},
    {"not (false and false)", "{}", true},
    {"false or not false", "{}", true},
    {"not not true", "{}", true},
    {"ListPrice < 500000 and StandardStatus == \"Active\" and City in [\"Seattle\", \"Kent\"]",
     kListing, true},
    {"ListPrice > 500000 or City == \"Seattle\" and Pool == true", kListing, false},
    {"(ListPrice > 500000 or City == \"Seattle\") and Pool == false", kListing, true},
    // a lone operand holds only when it is boolean true
    {"NewConstruction", kListing, true},
    {"Pool", kListing, false},
    {"City", kListing, false},
    {"Missing", kListing, false},
    {"true", "{}", true},
    // a record that is not an object has no fields
    {"exists(a)", "[1, 2]", false},
    {"a == null", "42", true},
    // strings with escapes
    {"Name == \"O\\\"Brien\"", R"({"Name": "O\"Brien"})", true},
    {"Name == 'it\\'s'", R"({"Name": "it's"})", true},
    {"Name == \"caf\\u00e9\"", R"({"Name": "caf\u00e9"})", true},
};

TEST(PredicateEvaluation, TableOfExpressionsRecordsAndResults) {
  ASSERT_GE(kRows.size(), 40u);
  for (const Row& row : kRows) {
    SCOPED_TRACE(row.expression);
    const Predicate predicate = parse_predicate(row.expression);
    EXPECT_EQ(predicate.matches(std::string_view(row.record)), row.expected)
        << "parsed as " << predicate.to_string();
  }
}

TEST(PredicateEvaluation, GroupsByPrecedenceAndParentheses) {
  EXPECT_EQ(parse_predicate("a or b and c").to_string(), "(a or (b and c))");
  EXPECT_EQ(parse_predicate("not a and b").to_string(), "(not a and b)");
  EXPECT_EQ(parse_predicate("not (a and b)").to_string(), "not (a and b)");
  EXPECT_EQ(parse_predicate("(a or b) and c").to_string(), "((a or b) and c)");
  EXPECT_EQ(parse_predicate("a == 1 or b != 'x' or c in [1, \"y\", null, true]").to_string(),
            "(a == 1 or b != \"x\" or c in [1, \"y\", null, true])");
  EXPECT_EQ(parse_predicate("exists(Media[0].MediaURL)").to_string(), "exists(Media[0].MediaURL)");
}

TEST(PredicateEvaluation, OneParsedRecordServesManyPredicates) {
  const RecordJson record = RecordJson::parse(kListing);
  const Predicate cheap = parse_predicate("ListPrice < 500000");
  const Predicate seattle = parse_predicate("City == 'Seattle'");
  const Predicate kent = parse_predicate("City == 'Kent'");
  EXPECT_TRUE(cheap.matches(record));
  EXPECT_TRUE(seattle.matches(record));
  EXPECT_FALSE(kent.matches(record));
}

TEST(PredicateEvaluation, DefaultPredicateMatchesEveryRecord) {
  EXPECT_TRUE(Predicate().matches(std::string_view("{}")));
  EXPECT_EQ(Predicate().to_string(), "true");
}

TEST(PredicateEvaluation, RecordThatIsNotJsonIsRefused) {
  EXPECT_THROW(parse_predicate("a == 1").matches(std::string_view("{not json")),
               std::invalid_argument);
}

}  // namespace
}  // namespace reos::pipeline
