// Idempotency-Key and rate limits as clients see them, over real HTTP.

#include "collaboration_fixture.hpp"

namespace reos::collaboration::testing {
namespace {

class IdempotencyHttp : public CollaborationTest {};

TEST_F(IdempotencyHttp, SameKeyTwiceGivesTheSameStatusAndBodyAndOneAssignment) {
  const std::string contact = new_contact();
  Json body = {
      {"entity_type", "contact"}, {"entity_id", contact}, {"assignee_id", id_of("bob@one.test")}};
  auto first = post("/api/v1/assignments", alice_, body, {"Idempotency-Key: assign-" + contact});
  auto second = post("/api/v1/assignments", alice_, body, {"Idempotency-Key: assign-" + contact});
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(second.status, 201);
  EXPECT_EQ(second.body, first.body);
  EXPECT_EQ(second.header("idempotent-replayed"), "true");
  EXPECT_EQ(second.header("location"), first.header("location"));
  EXPECT_EQ(count("SELECT count(*) FROM assignments WHERE entity_id = '" + contact + "'"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE kind = 'assignment.created'"
                  " AND payload->'assignment'->>'entity_id' = '" +
                  contact + "'"),
            1);
}

TEST_F(IdempotencyHttp, SameKeyWithADifferentBodyIs422) {
  const std::string contact = new_contact();
  Json body = {
      {"entity_type", "contact"}, {"entity_id", contact}, {"assignee_id", id_of("bob@one.test")}};
  ASSERT_EQ(post("/api/v1/assignments", alice_, body, {"Idempotency-Key: k-" + contact}).status,
            201);
  body["note"] = "changed";
  auto r = post("/api/v1/assignments", alice_, body, {"Idempotency-Key: k-" + contact});
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(r.header("content-type"), "application/problem+json");
}

TEST_F(IdempotencyHttp, ReplayOfADecisionDoesNotBecomeA409) {
  const std::string id = json(post(
      "/api/v1/approvals", bob_, {{"entity_type", "contact"}, {"entity_id", new_contact()}}))["id"];
  auto first =
      post("/api/v1/approvals/" + id + "/approve", alice_, nullptr, {"Idempotency-Key: ap-" + id});
  auto retry =
      post("/api/v1/approvals/" + id + "/approve", alice_, nullptr, {"Idempotency-Key: ap-" + id});
  EXPECT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(retry.status, 200) << retry.body;
  EXPECT_EQ(retry.body, first.body);
  // Without the key the second attempt is an honest 409.
  EXPECT_EQ(post("/api/v1/approvals/" + id + "/approve", alice_, nullptr).status, 409);
}

TEST_F(IdempotencyHttp, ConcurrentDuplicatesCreateOneApproval) {
  const std::string contact = new_contact();
  Json body = {{"entity_type", "contact"}, {"entity_id", contact}};
  std::vector<std::thread> threads;
  std::atomic<int> created{0}, in_progress{0}, other{0};
  for (int i = 0; i < 6; ++i)
    threads.emplace_back([&] {
      auto r = post("/api/v1/approvals", bob_, body, {"Idempotency-Key: dup-" + contact});
      if (r.status == 201)
        ++created;
      else if (r.status == 409)
        ++in_progress;
      else
        ++other;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(other.load(), 0);
  EXPECT_GE(created.load(), 1);
  EXPECT_EQ(count("SELECT count(*) FROM approvals WHERE entity_id = '" + contact + "'"), 1);
}

TEST(RateLimitHttp, TooManyRequestsAre429WithRetryAfter) {
  test::ApiHarnessOptions options;
  options.limits = {1, 3, 1000, 1000, 1000, 1000};  // an API key: 3 at once, then 1/s
  test::ApiHarness h(
      [](http::Router& r, const api::ApiContext& api) { add_collaboration_routes(r, api); },
      options);
  const std::string key = h.api_key("t-one", {"collaboration:read"});
  std::vector<long> statuses;
  test::ClientResponse limited;
  for (int i = 0; i < 5; ++i) {
    auto r = h.call("GET", "/api/v1/approvals", "", "", {"X-Api-Key: " + key});
    statuses.push_back(r.status);
    if (r.status == 429) limited = r;
  }
  EXPECT_EQ(statuses[0], 200);
  EXPECT_EQ(statuses[2], 200);
  EXPECT_EQ(statuses[4], 429);
  ASSERT_EQ(limited.status, 429);
  EXPECT_EQ(limited.header("retry-after"), "1");
  EXPECT_EQ(limited.header("content-type"), "application/problem+json");
  // Another key of the same tenant has its own bucket.
  const std::string other = h.api_key("t-one", {"collaboration:read"});
  EXPECT_EQ(h.call("GET", "/api/v1/approvals", "", "", {"X-Api-Key: " + other}).status, 200);
}

// Bad credentials are charged to the caller's address: after the per-address burst, a flood
// of wrong tokens gets 429 instead of 401, while a valid caller from the same address is not
// limited by it.
TEST(RateLimitHttp, FailedAuthenticationsAreLimitedPerAddress) {
  test::ApiHarnessOptions options;
  options.limits = {1000, 1000, 1000, 1000, 0.01, 3};  // per address: 3, then 1 per 100 s
  test::ApiHarness h(
      [](http::Router& r, const api::ApiContext& api) { add_collaboration_routes(r, api); },
      options);
  const std::string key = h.api_key("t-one", {"collaboration:read"});  // no login: no token
  std::vector<long> statuses;
  for (int i = 0; i < 5; ++i) statuses.push_back(h.call("GET", "/api/v1/inbox", "bad").status);
  EXPECT_EQ(statuses, (std::vector<long>{401, 401, 401, 429, 429}));
  EXPECT_EQ(h.call("GET", "/api/v1/approvals", "", "", {"X-Api-Key: " + key}).status, 200);
  // The address's bucket is what the public routes use too: a login from it waits as well.
  EXPECT_EQ(h.login("bob@one.test", test::kHarnessPassword).status, 429);
}

TEST(RateLimitHttp, TenantLimitCoversItsUsers) {
  test::ApiHarnessOptions options;
  options.limits = {1000, 1000, 0.5, 2, 1000, 1000};
  test::ApiHarness h(
      [](http::Router& r, const api::ApiContext& api) { add_collaboration_routes(r, api); },
      options);
  const std::string token = h.token("bob@one.test");
  const std::string other_tenant = h.token("dave@two.test");
  int limited = 0;
  std::string retry_after;
  for (int i = 0; i < 4; ++i) {
    auto r = h.call("GET", "/api/v1/inbox", token);
    if (r.status == 429) {
      ++limited;
      retry_after = r.header("retry-after");
    }
  }
  EXPECT_GE(limited, 2);
  // One token at 0.5/s: up to 2 s away, rounded up (1 only if the machine is very slow).
  EXPECT_TRUE(retry_after == "2" || retry_after == "1") << retry_after;
  EXPECT_EQ(h.call("GET", "/api/v1/inbox", other_tenant).status, 200);
}

}  // namespace
}  // namespace reos::collaboration::testing
