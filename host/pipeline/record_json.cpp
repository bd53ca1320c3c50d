#include "pipeline/record_json.hpp"

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace reos::pipeline {

RecordJson::RecordJson()
    : value_(std::make_shared<const nlohmann::json>(nlohmann::json::object())) {}

RecordJson::RecordJson(std::shared_ptr<const nlohmann::json> value) : value_(std::move(value)) {}

RecordJson RecordJson::parse(std::string_view text) {
  try {
    return RecordJson(std::make_shared<const nlohmann::json>(nlohmann::json::parse(text)));
  } catch (const nlohmann::json::parse_error& e) {
    throw std::invalid_argument(std::string("record is not valid JSON: ") + e.what());
  }
}

RecordJson RecordJson::adopt(nlohmann::json&& value) {
  return RecordJson(std::make_shared<const nlohmann::json>(std::move(value)));
}

std::string RecordJson::dump() const {
  return value_->dump();
}

bool RecordJson::is_object() const {
  return value_->is_object();
}

}  // namespace reos::pipeline
