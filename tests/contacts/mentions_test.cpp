// @mention tokens in note bodies, and the calendar check of task due dates.
#include "contacts/mentions.hpp"

#include <gtest/gtest.h>

#include "contacts/task_rules.hpp"

namespace reos::contacts {
namespace {

using Tokens = std::vector<std::string>;

TEST(MentionTokens, LocalPartsAndWholeAddresses) {
  EXPECT_EQ(mention_tokens("@bob please call them"), (Tokens{"bob"}));
  EXPECT_EQ(mention_tokens("cc @Bob.Smith, @carol@one.test."),
            (Tokens{"bob.smith", "carol@one.test"}));
  EXPECT_EQ(mention_tokens("(@bob) and @bob again"), (Tokens{"bob"}));
  EXPECT_EQ(mention_tokens("thanks @alice."), (Tokens{"alice"}));
}

TEST(MentionTokens, AddressesInProseAreNotMentions) {
  EXPECT_EQ(mention_tokens("write to bob@one.test"), Tokens{});
  EXPECT_EQ(mention_tokens("@ nobody, @@, @."), Tokens{});
  EXPECT_EQ(mention_tokens(""), Tokens{});
  EXPECT_EQ(mention_tokens("price@300k"), Tokens{});
}

TEST(CalendarDate, OnlyDaysThatExist) {
  EXPECT_TRUE(is_calendar_date("2025-01-31"));
  EXPECT_TRUE(is_calendar_date("2024-02-29"));
  EXPECT_TRUE(is_calendar_date("2000-02-29"));
  EXPECT_FALSE(is_calendar_date("1900-02-29"));
  EXPECT_FALSE(is_calendar_date("2025-02-29"));
  EXPECT_FALSE(is_calendar_date("2025-04-31"));
  EXPECT_FALSE(is_calendar_date("2025-13-01"));
  EXPECT_FALSE(is_calendar_date("2025-1-01"));
  EXPECT_FALSE(is_calendar_date("2025-01-00"));
  EXPECT_FALSE(is_calendar_date("tomorrow!!"));
}

}  // namespace
}  // namespace reos::contacts
