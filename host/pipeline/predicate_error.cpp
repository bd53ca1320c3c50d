#include "pipeline/predicate_error.hpp"

#include <utility>

namespace reos::pipeline {

PredicateError::PredicateError(std::string reason, std::size_t column)
    : std::runtime_error(reason + " at column " + std::to_string(column)),
      reason_(std::move(reason)),
      column_(column) {}

}  // namespace reos::pipeline
