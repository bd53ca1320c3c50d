#include "crm_test_support.hpp"

#include <pqxx/pqxx>

namespace reos::contacts::test {

const std::string& CrmApiTest::token(const std::string& email) {
  auto it = tokens_.find(email);
  if (it == tokens_.end()) it = tokens_.emplace(email, h_.token(email)).first;
  return it->second;
}

json CrmApiTest::call(const std::string& method, const std::string& path, const std::string& token,
                      const json& body, long status) {
  const reos::test::ClientResponse r =
      h_.call(method, path, token, body.is_null() ? "" : body.dump());
  EXPECT_EQ(r.status, status) << method << " " << path << " " << r.body;
  if (r.status >= 400) {
    EXPECT_EQ(r.header("content-type"), "application/problem+json") << r.body;
  }
  json parsed = json::parse(r.body, nullptr, false);
  return parsed.is_discarded() ? json() : parsed;
}

json CrmApiTest::create_contact(const json& body) {
  return call("POST", "/api/v1/contacts", bob(), body, 201);
}

std::string CrmApiTest::sql_text(const std::string& sql) {
  pqxx::connection conn(h_.conninfo());
  pqxx::work tx(conn);
  const pqxx::result r = tx.exec(sql);
  if (r.empty() || r[0][0].is_null()) return "";
  return r[0][0].as<std::string>();
}

std::set<std::string> invalid_names(const json& problem) {
  std::set<std::string> names;
  if (!problem.is_object()) return names;
  for (const json& p : problem.value("invalid_params", json::array())) {
    names.insert(p.at("name").get<std::string>());
  }
  return names;
}

std::vector<std::string> ids_of(const json& page) {
  std::vector<std::string> ids;
  for (const json& item : page.at("items")) ids.push_back(item.at("id").get<std::string>());
  return ids;
}

}  // namespace reos::contacts::test
