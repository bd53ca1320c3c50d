// odata_filter.hpp — the part of OData 4.01 $filter (URL Conventions §5.1.1) the RESO test
// server answers: comparisons `Field eq|ne|gt|ge|lt|le literal` combined with and, or, not
// and parentheses. Literals: 'strings' ('' escapes a quote), numbers, true/false/null, and
// Edm.DateTimeOffset / Edm.Date values (compared as instants, not as text).
#pragma once

#include <functional>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>

#include "reso_timestamp.hpp"

namespace reos::test {

/// A $filter the server cannot parse; what() is the OData error message.
class FilterError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class ODataFilter {
 public:
  /// The value of a field of the record under test (null when absent).
  using FieldFn = std::function<const nlohmann::json&(const std::string& field)>;

  /// Parses `text`; "" matches everything. Throws FilterError.
  static ODataFilter parse(const std::string& text);

  bool matches(const FieldFn& field) const;
  /// Every field the filter names (to refuse unknown ones).
  std::set<std::string> fields() const;
  /// The earliest `field` value a match can have (from `field gt|ge|eq T` terms reachable
  /// through and/or): lets the server binary-search its sorted records. nullopt = no bound.
  std::optional<reso::Instant> lower_bound(const std::string& field) const;

  struct Node;

 private:
  std::shared_ptr<const Node> root_;
};

}  // namespace reos::test
