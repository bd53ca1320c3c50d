// Mapping an offset inside a scalar's value back to the file: plain, quoted, escaped, folded and
// block scalars.
#include "pipeline/yaml_scalar_position.hpp"

#include <gtest/gtest.h>

#include <string>

namespace reos::pipeline {
namespace {

std::string at(const std::string& text, int line, int column, std::size_t offset) {
  const config::SourcePos pos = position_in_scalar(text, {"f.yaml", line, column}, offset);
  return std::to_string(pos.line) + ":" + std::to_string(pos.column);
}

TEST(YamlScalarPosition, PlainScalarIsOneToOne) {
  EXPECT_EQ(at("when: a < b\n", 1, 7, 0), "1:7");
  EXPECT_EQ(at("when: a < b\n", 1, 7, 4), "1:11");
}

TEST(YamlScalarPosition, QuotedScalarsSkipTheOpeningQuote) {
  EXPECT_EQ(at("when: 'a < b'\n", 1, 7, 2), "1:10");
  EXPECT_EQ(at("when: \"a < b\"\n", 1, 7, 2), "1:10");
  EXPECT_EQ(at("when: \"a < b\"\n", 1, 7, 5), "1:13") << "the end maps to the closing quote";
}

TEST(YamlScalarPosition, EscapesCountAsTheCharactersTheyStandFor) {
  // value: it's x  — `''` is one character
  EXPECT_EQ(at("w: 'it''s x'\n", 1, 4, 5), "1:11");
  // value: a"b x — `\"` is one character; \u00e9 is two bytes
  EXPECT_EQ(at("w: \"a\\\"b x\"\n", 1, 4, 4), "1:10");
  EXPECT_EQ(at("w: \"\\u00e9 x\"\n", 1, 4, 3), "1:12");
}

TEST(YamlScalarPosition, FoldedLinesOfAQuotedScalar) {
  // value: "a and b" (the line break folds to one space)
  EXPECT_EQ(at("w: 'a and\n   b'\n", 1, 4, 6), "2:4");
}

TEST(YamlScalarPosition, BlockScalarsCountFromTheirIndentation) {
  const std::string text = "w: |\n  a == 1\n  and b <\n";
  EXPECT_EQ(at(text, 1, 4, 0), "2:3");
  EXPECT_EQ(at(text, 1, 4, 7), "3:3");
  EXPECT_EQ(at(text, 1, 4, 13), "3:9");
  EXPECT_EQ(at(">-\n    x ==\n", 1, 1, 2), "2:7");
}

TEST(YamlScalarPosition, OverridesWithoutALineAreLeftAlone) {
  EXPECT_EQ(at("whatever", 0, 0, 5), "0:0");
}

}  // namespace
}  // namespace reos::pipeline
