#pragma once

// One ApiHarness (real HTTP, real PostgreSQL, two tenants) with the collaboration routes,
// shared by the tests of a suite; each test makes its own entities so tests stay independent.

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "collaboration/collaboration_routes.hpp"
#include "support/api_harness.hpp"

namespace reos::collaboration::testing {

using Json = nlohmann::json;

class CollaborationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    harness_ = std::make_unique<test::ApiHarness>(
        [](http::Router& r, const api::ApiContext& api) { add_collaboration_routes(r, api); });
    alice_ = harness_->token("alice@one.test");
    bob_ = harness_->token("bob@one.test");
    carol_ = harness_->token("carol@one.test");
    dave_ = harness_->token("dave@two.test");
  }
  static void TearDownTestSuite() { harness_.reset(); }

  test::ApiHarness& h() { return *harness_; }
  std::string id_of(const std::string& email) { return harness_->user_id(email); }

  /// A new contact in `tenant`, inserted directly (the contacts routes are not under test).
  std::string new_contact(const std::string& tenant = "t-one") {
    return scalar("INSERT INTO contacts (tenant_id, first_name) VALUES ('" + tenant +
                  "', 'Test') RETURNING id::text");
  }

  std::string scalar(const std::string& sql) {
    pqxx::connection c(harness_->conninfo());
    pqxx::work tx(c);
    auto r = tx.exec(sql);
    tx.commit();
    return r.empty() || r[0][0].is_null() ? "" : r[0][0].as<std::string>();
  }
  long long count(const std::string& sql) { return std::stoll(scalar(sql)); }

  test::ClientResponse post(const std::string& path, const std::string& token, const Json& body,
                            std::vector<std::string> headers = {}) {
    return harness_->call("POST", path, token, body.is_null() ? "" : body.dump(),
                          std::move(headers));
  }
  test::ClientResponse get(const std::string& path, const std::string& token) {
    return harness_->call("GET", path, token);
  }

  static Json json(const test::ClientResponse& r) {
    return r.body.empty() ? Json() : Json::parse(r.body, nullptr, false);
  }

  static inline std::unique_ptr<test::ApiHarness> harness_;
  static inline std::string alice_, bob_, carol_,
      dave_;  // admin, agent, viewer (t-one); admin (t-two)
};

}  // namespace reos::collaboration::testing
