#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

namespace reos::pipeline {

/// A predicate that does not parse. `what()` is "<reason> at column <column>"; `column` is
/// 1-based, in bytes of the expression text (one past its end when the text ended too soon),
/// so a config loader can place the error inside the file that holds the expression.
class PredicateError : public std::runtime_error {
 public:
  PredicateError(std::string reason, std::size_t column);
  const std::string& reason() const noexcept { return reason_; }
  std::size_t column() const noexcept { return column_; }

 private:
  std::string reason_;
  std::size_t column_;
};

}  // namespace reos::pipeline
