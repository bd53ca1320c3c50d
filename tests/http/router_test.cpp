#include "http/router.hpp"

#include <gtest/gtest.h>

namespace reos::http {
namespace {

Handler named(std::string name) {
  return [name](const Request&) { return json_response(200, name); };
}

std::string call(const RouteMatch& m) {
  Request req;
  return (*m.handler)(req).body;
}

TEST(Router, MatchesLiteralRoute) {
  Router r;
  r.add("GET", "/healthz", named("health"));
  auto m = r.match("GET", "/healthz");
  ASSERT_EQ(m.outcome, RouteMatch::Outcome::found);
  EXPECT_EQ(m.pattern, "/healthz");
  EXPECT_TRUE(m.params.empty());
  EXPECT_EQ(call(m), "health");
}

TEST(Router, ExtractsAndDecodesParams) {
  Router r;
  r.add("GET", "/api/v1/tenants/{tenant}/jobs/{id}", named("job"));
  auto m = r.match("GET", "/api/v1/tenants/acme%20realty/jobs/42");
  ASSERT_EQ(m.outcome, RouteMatch::Outcome::found);
  EXPECT_EQ(m.pattern, "/api/v1/tenants/{tenant}/jobs/{id}");
  EXPECT_EQ(m.params.at("tenant"), "acme realty");
  EXPECT_EQ(m.params.at("id"), "42");
}

TEST(Router, EncodedSlashStaysInsideOneParam) {
  Router r;
  r.add("GET", "/files/{name}", named("file"));
  auto m = r.match("GET", "/files/a%2Fb");
  ASSERT_EQ(m.outcome, RouteMatch::Outcome::found);
  EXPECT_EQ(m.params.at("name"), "a/b");
  EXPECT_EQ(r.match("GET", "/files/a/b").outcome, RouteMatch::Outcome::not_found);
}

TEST(Router, ParamDoesNotMatchEmptySegmentAndTrailingSlashMatters) {
  Router r;
  r.add("GET", "/jobs/{id}", named("job"));
  r.add("GET", "/jobs", named("list"));
  EXPECT_EQ(r.match("GET", "/jobs/").outcome, RouteMatch::Outcome::not_found);
  EXPECT_EQ(call(r.match("GET", "/jobs")), "list");
  EXPECT_EQ(r.match("GET", "/jobs/1/extra").outcome, RouteMatch::Outcome::not_found);
  EXPECT_EQ(r.match("GET", "").outcome, RouteMatch::Outcome::not_found);
}

TEST(Router, LiteralBeatsPlaceholderRegardlessOfOrder) {
  Router r;
  r.add("GET", "/jobs/{id}", named("by-id"));
  r.add("GET", "/jobs/stats", named("stats"));
  r.add("GET", "/{a}/{b}", named("generic"));
  EXPECT_EQ(call(r.match("GET", "/jobs/stats")), "stats");
  EXPECT_EQ(call(r.match("GET", "/jobs/7")), "by-id");
  EXPECT_EQ(call(r.match("GET", "/x/y")), "generic");
}

TEST(Router, WrongMethodIs405WithSortedAllowList) {
  Router r;
  r.add("POST", "/jobs/{id}", named("post"));
  r.add("GET", "/jobs/{id}", named("get"));
  r.add("DELETE", "/jobs/{id}", named("delete"));
  auto m = r.match("PUT", "/jobs/1");
  ASSERT_EQ(m.outcome, RouteMatch::Outcome::method_not_allowed);
  EXPECT_EQ(m.allowed_methods, (std::vector<std::string>{"DELETE", "GET", "HEAD", "POST"}));
  EXPECT_EQ(m.handler, nullptr);
}

TEST(Router, AllowListUnitesEveryMatchingPattern) {
  Router r;
  r.add("POST", "/jobs/new", named("create"));
  r.add("GET", "/jobs/{id}", named("get"));
  // GET /jobs/new falls through to the placeholder route: methods are matched first.
  EXPECT_EQ(call(r.match("GET", "/jobs/new")), "get");
  auto m = r.match("PATCH", "/jobs/new");
  ASSERT_EQ(m.outcome, RouteMatch::Outcome::method_not_allowed);
  EXPECT_EQ(m.allowed_methods, (std::vector<std::string>{"GET", "HEAD", "POST"}));
}

TEST(Router, UnknownPathIs404EvenWhenMethodIsUnusual) {
  Router r;
  r.add("GET", "/a", named("a"));
  auto m = r.match("BREW", "/b");
  EXPECT_EQ(m.outcome, RouteMatch::Outcome::not_found);
  EXPECT_TRUE(m.allowed_methods.empty());
}

TEST(Router, HeadFallsBackToGetUnlessRegistered) {
  Router r;
  r.add("GET", "/a", named("get-a"));
  r.add("GET", "/b", named("get-b"));
  r.add("HEAD", "/b", named("head-b"));
  EXPECT_EQ(call(r.match("HEAD", "/a")), "get-a");
  EXPECT_EQ(call(r.match("HEAD", "/b")), "head-b");
  r.add("POST", "/c", named("post-c"));
  EXPECT_EQ(r.match("HEAD", "/c").outcome, RouteMatch::Outcome::method_not_allowed);
}

TEST(Router, MethodsAreCaseSensitive) {
  Router r;
  r.add("GET", "/a", named("a"));
  EXPECT_EQ(r.match("get", "/a").outcome, RouteMatch::Outcome::method_not_allowed);
}

TEST(Router, RootPattern) {
  Router r;
  r.add("GET", "/", named("root"));
  EXPECT_EQ(call(r.match("GET", "/")), "root");
  EXPECT_EQ(r.match("GET", "/x").outcome, RouteMatch::Outcome::not_found);
}

TEST(Router, RejectsMalformedRegistrations) {
  Router r;
  EXPECT_THROW(r.add("GET", "no-slash", named("x")), std::invalid_argument);
  EXPECT_THROW(r.add("", "/x", named("x")), std::invalid_argument);
  EXPECT_THROW(r.add("GE T", "/x", named("x")), std::invalid_argument);
  EXPECT_THROW(r.add("GET", "/x/{}", named("x")), std::invalid_argument);
  EXPECT_THROW(r.add("GET", "/x/{1id}", named("x")), std::invalid_argument);
  EXPECT_THROW(r.add("GET", "/x/pre{id}", named("x")), std::invalid_argument);
  EXPECT_THROW(r.add("GET", "/x/{id}/{id}", named("x")), std::invalid_argument);
  EXPECT_THROW(r.add("GET", "/x", Handler{}), std::invalid_argument);
  r.add("GET", "/x", named("x"));
  EXPECT_THROW(r.add("GET", "/x", named("again")), std::invalid_argument);
  EXPECT_NO_THROW(r.add("POST", "/x", named("post")));
}

TEST(Router, RoutesListsRegistrationsInOrder) {
  Router r;
  r.add("GET", "/b", named("b"));
  r.add("POST", "/a/{id}", named("a"));
  auto routes = r.routes();
  ASSERT_EQ(routes.size(), 2u);
  EXPECT_EQ(routes[0], (std::pair<std::string, std::string>{"GET", "/b"}));
  EXPECT_EQ(routes[1], (std::pair<std::string, std::string>{"POST", "/a/{id}"}));
}

TEST(PercentDecode, DecodesValidEscapesAndKeepsTheRest) {
  EXPECT_EQ(percent_decode("a%20b%2fc"), "a b/c");
  EXPECT_EQ(percent_decode("100%"), "100%");
  EXPECT_EQ(percent_decode("%zz%4"), "%zz%4");
  EXPECT_EQ(percent_decode("a+b"), "a+b");
}

}  // namespace
}  // namespace reos::http
