#include "property_search/sql_params.hpp"

#include <pqxx/pqxx>

namespace reos::property_search {

pqxx::result exec_with(pqxx::transaction_base& tx, const std::string& sql,
                       const SqlParams& params) {
  return tx.exec_params(sql, pqxx::prepare::make_dynamic_params(params.values()));
}

}  // namespace reos::property_search
