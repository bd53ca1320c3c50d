#pragma once

// Numbered parameters for SQL assembled from optional filters: every value the client sent
// becomes a `$n` placeholder, never SQL text.

#include <string>
#include <vector>

namespace pqxx {
class result;
class transaction_base;
}  // namespace pqxx

namespace reos::property_search {

class SqlParams {
 public:
  /// Adds `value` and returns its placeholder ("$1", "$2", …).
  std::string add(std::string value) {
    values_.push_back(std::move(value));
    return "$" + std::to_string(values_.size());
  }
  const std::vector<std::string>& values() const { return values_; }

 private:
  std::vector<std::string> values_;
};

/// Runs `sql` with `params` in `tx`.
pqxx::result exec_with(pqxx::transaction_base& tx, const std::string& sql, const SqlParams& params);

}  // namespace reos::property_search
