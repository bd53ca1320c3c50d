#include "plugin_runtime/json_text_check.hpp"

#include <gtest/gtest.h>

using reos::plugin_runtime::is_json_object_text;

TEST(JsonTextCheck, AcceptsObjectsOfEveryValueKind) {
  for (const char* text :
       {"{}", " { } ", R"({"a":1,"b":-2.5e+3,"c":"x\"\\\/\b\f\n\r\t\u00e9","d":[true,false,null]})",
        R"({"nested":{"x":[[],{},[1,{"y":0}]]}})", "{\"caf\xc3\xa9\":\"\xf0\x9f\x8f\xa0\"}"}) {
    EXPECT_TRUE(is_json_object_text(text)) << text;
  }
}

TEST(JsonTextCheck, RefusesMalformedTextAndNonObjectsWithTheOffset) {
  for (const char* text :
       {"", "{not json", "[]", "\"x\"", "{\"a\":}", "{\"a\":1,}", "{\"a\" 1}", "{'a':1}",
        "{\"a\":01}", "{\"a\":1.}", "{\"a\":\"\x01\"}", "{\"a\":\"\\x\"}", "{\"a\":tru}",
        "{\"a\":1} x", "{\"a\":[1,]}", "{\"a\":\"\xc3\"}", "{\"a\":\"\xed\xa0\x80\"}",
        "{\"a\":\"\xc0\xaf\"}"}) {
    std::string why;
    EXPECT_FALSE(is_json_object_text(text, &why)) << text;
    EXPECT_EQ(why.rfind("invalid JSON at byte ", 0), 0u) << why;
  }
}

TEST(JsonTextCheck, RefusesNestingDeeperThan512WithoutOverflowingTheStack) {
  std::string deep = "{\"a\":" + std::string(100000, '[') + std::string(100000, ']') + "}";
  std::string why;
  EXPECT_FALSE(is_json_object_text(deep, &why));
  EXPECT_NE(why.find("nesting deeper than 512"), std::string::npos) << why;
  std::string ok = "{\"a\":" + std::string(500, '[') + std::string(500, ']') + "}";
  EXPECT_TRUE(is_json_object_text(ok));
}
