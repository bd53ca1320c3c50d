#pragma once

// The REST API harness with the contacts, notes and tasks routes, plus JSON helpers.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "contacts/contact_routes.hpp"
#include "support/api_harness.hpp"

namespace reos::contacts::test {

using nlohmann::json;

class CrmApiTest : public ::testing::Test {
 protected:
  CrmApiTest()
      : h_([](http::Router& r, const api::ApiContext& api) { add_contact_routes(r, api); }) {}

  /// Token of a seeded user, logged in once per test.
  const std::string& token(const std::string& email);
  const std::string& alice() { return token("alice@one.test"); }  // admin, t-one
  const std::string& bob() { return token("bob@one.test"); }      // agent, t-one
  const std::string& carol() { return token("carol@one.test"); }  // viewer, t-one
  const std::string& dave() { return token("dave@two.test"); }    // admin, t-two

  /// Calls and expects `status`; returns the parsed body (null when empty or not JSON).
  json call(const std::string& method, const std::string& path, const std::string& token,
            const json& body, long status);
  json get(const std::string& path, const std::string& token, long status = 200) {
    return call("GET", path, token, nullptr, status);
  }
  /// POST /api/v1/contacts as bob; returns the contact.
  json create_contact(const json& body);

  /// First column of the first row of `sql` on the test database, as a superuser.
  std::string sql_text(const std::string& sql);

  reos::test::ApiHarness h_;
  std::map<std::string, std::string> tokens_;
};

/// The invalid_params names of a problem document.
std::set<std::string> invalid_names(const json& problem);

/// The ids of a page's items, in order.
std::vector<std::string> ids_of(const json& page);

}  // namespace reos::contacts::test
