#include "config/schema_validator.hpp"

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "config/embedded_schemas.hpp"
#include "config/json_schema.hpp"

namespace reos::config {
namespace {

const JsonSchema& compiled_schema(std::string_view file) {
  static const auto schemas = [] {
    std::map<std::string, std::shared_ptr<const JsonSchema>, std::less<>> all;
    for (const char* name : {"hub.json", "tenant.json"}) {
      all.emplace(name, JsonSchema::compile(nlohmann::json::parse(embedded_schema(name))));
    }
    return all;
  }();
  const auto it = schemas.find(file);
  if (it == schemas.end()) throw std::logic_error("no embedded schema " + std::string(file));
  return *it->second;
}

}  // namespace

void validate_against_schema(const YamlDocument& doc, std::string_view schema_file,
                             std::vector<ConfigError>& errors) {
  for (const SchemaProblem& p : compiled_schema(schema_file).validate(doc.root())) {
    errors.push_back(error_at(doc, p.pointer, p.message, p.at_key));
  }
}

}  // namespace reos::config
