#include "property_search/sql_params.hpp"

#include <functional>
#include <pqxx/pqxx>

namespace reos::property_search {

pqxx::result exec_with(pqxx::transaction_base& tx, const std::string& sql,
                       const SqlParams& params) {
  // Prepared once per connection and SQL text: a search's text depends only on which filters,
  // sort and cursor kind it has (values are parameters), so a connection holds at most a few
  // hundred of them, and a repeated search skips parse and rewrite, and planning too once
  // PostgreSQL judges its generic plan as good as the custom ones (plan_cache_mode = auto).
  // pqxx keeps the definitions per connection; preparing the same name and text again is a
  // no-op, and a reconnect re-prepares on first use.
  const std::string name = "property_search_" + std::to_string(std::hash<std::string>{}(sql));
  tx.conn().prepare(name, sql);
  return tx.exec_prepared(name, pqxx::prepare::make_dynamic_params(params.values()));
}

}  // namespace reos::property_search
