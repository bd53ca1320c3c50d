// The inbox's rules for what a plugin emitted (host/webhooks/inbox_event_check.cpp), which
// read only the top level of each event without building a document.
#include <gtest/gtest.h>

#include <string>

#include "webhooks/inbox_event_check.hpp"

using reos::webhooks::check_emitted_events;
using reos::webhooks::InboxEvent;

namespace {
InboxEvent check(const std::string& text) {
  return check_emitted_events({text}).at(0);
}
}  // namespace

TEST(InboxEventCheck, AnObjectWithAnIdIsPendingAndKeptByteForByte) {
  const std::string text =
      R"({"a":{"provider_event_id":"inner"},"provider_event_id":"ev-1","n":[1,{"x":null}]})";
  const InboxEvent ev = check(text);
  EXPECT_EQ(ev.failure, "");
  EXPECT_EQ(ev.provider_event_id, "ev-1");  // the nested one does not count
  EXPECT_EQ(ev.payload_json, text);
}

TEST(InboxEventCheck, TheIdMustBeATopLevelNonEmptyStringOfAtMost400Bytes) {
  EXPECT_EQ(check(R"({"provider_event_id":7})").failure, "event has no provider_event_id string");
  EXPECT_EQ(check(R"({"provider_event_id":""})").failure, "event has no provider_event_id string");
  EXPECT_EQ(check(R"({"x":{"provider_event_id":"deep"}})").failure,
            "event has no provider_event_id string");
  // A repeated key: the last value counts, as in a parsed document.
  EXPECT_EQ(check(R"({"provider_event_id":"a","provider_event_id":3})").failure,
            "event has no provider_event_id string");
  EXPECT_EQ(check(R"({"provider_event_id":3,"provider_event_id":"b"})").provider_event_id, "b");
  EXPECT_EQ(check(R"({"provider_event_id":")" + std::string(400, 'x') + "\"}").failure, "");
  EXPECT_EQ(check(R"({"provider_event_id":")" + std::string(401, 'x') + "\"}").failure,
            "provider_event_id is longer than 400 bytes");
}

TEST(InboxEventCheck, AnErrorStringMakesTheEventFailedWithThatReason) {
  const InboxEvent ev = check(R"({"provider_event_id":"e","error":"bad item"})");
  EXPECT_EQ(ev.provider_event_id, "e");
  EXPECT_EQ(ev.failure, "bad item");
  EXPECT_EQ(check(R"({"provider_event_id":"e","error":{"code":1}})").failure, "");
  EXPECT_EQ(check(R"({"provider_event_id":"e","x":{"error":"nested"}})").failure, "");
}

TEST(InboxEventCheck, WhatIsNotAJsonObjectIsFailedWithTheReason) {
  EXPECT_EQ(check("[1,2]").failure, "event is not a JSON object but array");
  EXPECT_EQ(check("\"text\"").failure, "event is not a JSON object but string");
  EXPECT_EQ(check("12").failure, "event is not a JSON object but number");
  EXPECT_EQ(check("null").failure, "event is not a JSON object but null");
  const InboxEvent broken = check(R"({"provider_event_id":"e",)");
  EXPECT_EQ(broken.failure.rfind("event is not valid JSON: ", 0), 0u) << broken.failure;
  EXPECT_EQ(broken.payload_json, "");
  EXPECT_EQ(check(R"({"provider_event_id":"e","v":"a\u0000b"})").failure,
            "event contains \\u0000, which PostgreSQL jsonb cannot store");
}

TEST(InboxEventCheck, EveryEmittedTextGetsOneEventInOrder) {
  const auto events =
      check_emitted_events({R"({"provider_event_id":"1"})", "[]", R"({"provider_event_id":"3"})"});
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].provider_event_id, "1");
  EXPECT_NE(events[1].failure, "");
  EXPECT_EQ(events[2].provider_event_id, "3");
}
