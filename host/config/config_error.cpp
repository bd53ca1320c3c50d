#include "config/config_error.hpp"

#include <algorithm>
#include <tuple>

namespace reos::config {
namespace {

std::string join(const std::vector<ConfigError>& errors) {
  std::string text;
  for (const auto& error : errors) {
    if (!text.empty()) text += '\n';
    text += error.to_string();
  }
  return text;
}

bool from_environment(const ConfigError& error) {
  return error.file.rfind("env:", 0) == 0;
}

}  // namespace

std::string ConfigError::to_string() const {
  std::string text = file;
  if (line > 0) text += ':' + std::to_string(line) + ':' + std::to_string(column);
  if (!text.empty()) text += ": ";
  if (!path.empty()) text += path + ": ";
  return text + message;
}

ConfigErrors::ConfigErrors(std::vector<ConfigError> errors)
    : std::runtime_error(join(errors)), errors_(std::move(errors)) {}

void sort_by_position(std::vector<ConfigError>& errors) {
  std::stable_sort(errors.begin(), errors.end(), [](const ConfigError& a, const ConfigError& b) {
    return std::make_tuple(from_environment(a), a.line, a.column) <
           std::make_tuple(from_environment(b), b.line, b.column);
  });
}

}  // namespace reos::config
