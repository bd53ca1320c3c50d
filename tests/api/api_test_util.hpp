#pragma once

#include <algorithm>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <string>

#include "support/api_harness.hpp"

namespace reos::test {

inline nlohmann::json json_of(const ClientResponse& r) {
  return nlohmann::json::parse(r.body);
}

/// Runs `sql` as the superuser on the harness database and returns the first field as text.
inline std::string sql_text(const ApiHarness& h, const std::string& sql) {
  pqxx::connection conn(h.conninfo());
  pqxx::work tx(conn);
  const pqxx::result r = tx.exec(sql);
  tx.commit();
  return r.empty() || r[0][0].is_null() ? "" : r[0][0].as<std::string>();
}

/// The names listed in a problem's invalid_params, sorted.
inline std::vector<std::string> invalid_names(const ClientResponse& r) {
  std::vector<std::string> names;
  for (const auto& p : json_of(r).value("invalid_params", nlohmann::json::array())) {
    names.push_back(p["name"].get<std::string>());
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace reos::test
