// Query-string decoding and checks shared by the admin listings.
#include "admin_api/query_params.hpp"

#include <gtest/gtest.h>

#include "admin_api/list_query.hpp"

namespace reos::admin_api::test {
namespace {

std::vector<std::string> names(const QueryParams& q) {
  std::vector<std::string> out;
  for (const auto& e : q.errors()) out.push_back(e.name + ": " + e.reason);
  return out;
}

TEST(AdminQueryParams, DecodesPercentAndPlus) {
  EXPECT_EQ(decode_query_component("a+b%20c%2Fd"), "a b c/d");
  EXPECT_EQ(decode_query_component("100%"), "100%");
  EXPECT_EQ(decode_query_component("%zz%4"), "%zz%4");
  QueryParams q("kind=cma%2Erun&tenant=acme", {"kind", "tenant"});
  EXPECT_EQ(q.text("kind").value_or(""), "cma.run");
  EXPECT_EQ(q.text("tenant").value_or(""), "acme");
  EXPECT_TRUE(q.errors().empty());
}

TEST(AdminQueryParams, UnknownRepeatedAndEmpty) {
  QueryParams q("a=1&&b=&a=2&zz=3&flag", {"a", "b"});
  EXPECT_EQ(names(q), (std::vector<std::string>{"a: given more than once",
                                                "zz: unknown parameter (allowed: a, b)",
                                                "flag: unknown parameter (allowed: a, b)"}));
  EXPECT_FALSE(q.text("b").has_value()) << "empty counts as absent";
  EXPECT_EQ(q.text("a").value_or(""), "1");
}

TEST(AdminQueryParams, IntegersAreDigitsWithinBounds) {
  QueryParams q("n=007&m=+5&big=9223372036854775808&max=9223372036854775807",
                {"n", "m", "big", "max", "none"});
  EXPECT_EQ(q.integer("n", 1, 10, 0), 7);
  EXPECT_EQ(q.integer("none", 1, 10, 4), 4);
  EXPECT_EQ(q.integer("m", 1, 10, 3), 3);  // '+' decodes to a space: not digits
  EXPECT_EQ(q.integer("big", 0, INT64_MAX, 0), 0);
  EXPECT_EQ(q.integer("max", 0, INT64_MAX, 0), INT64_MAX);
  ASSERT_EQ(q.errors().size(), 2u);
  EXPECT_EQ(q.errors()[0].name, "m");
  EXPECT_EQ(q.errors()[1].name, "big");
}

TEST(AdminQueryParams, KindAndTenantPatterns) {
  EXPECT_TRUE(is_job_kind("cma.run"));
  EXPECT_TRUE(is_job_kind("a"));
  EXPECT_FALSE(is_job_kind(""));
  EXPECT_FALSE(is_job_kind(".x"));
  EXPECT_FALSE(is_job_kind("Email"));
  EXPECT_FALSE(is_job_kind(std::string(64, 'a')));
  EXPECT_TRUE(is_tenant_id("acme"));
  EXPECT_FALSE(is_tenant_id("a"));
  EXPECT_FALSE(is_tenant_id("-acme"));
  EXPECT_FALSE(is_tenant_id("ac_me"));
}

}  // namespace
}  // namespace reos::admin_api::test
