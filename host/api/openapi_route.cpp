#include "api/openapi_route.hpp"

#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <stdexcept>

#include "api/api_context.hpp"
#include "api/embedded_openapi.hpp"
#include "http/router.hpp"

namespace reos::api {
namespace {

// YAML 1.2 core schema resolution of a plain (unquoted) scalar.
nlohmann::json plain_scalar(const std::string& s) {
  static const std::regex null_re("^(~|null|Null|NULL|)$");
  static const std::regex true_re("^(true|True|TRUE)$");
  static const std::regex false_re("^(false|False|FALSE)$");
  static const std::regex int_re("^[-+]?[0-9]+$");
  static const std::regex float_re("^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$");
  if (std::regex_match(s, null_re)) return nullptr;
  if (std::regex_match(s, true_re)) return true;
  if (std::regex_match(s, false_re)) return false;
  if (std::regex_match(s, int_re)) {
    try {
      return std::stoll(s);
    } catch (const std::out_of_range&) {
      return s;  // too large for an integer: keep the digits
    }
  }
  if (std::regex_match(s, float_re)) return std::stod(s);
  return s;
}

nlohmann::json to_json(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return nullptr;
    case YAML::NodeType::Scalar:
      // yaml-cpp tags quoted scalars "!" and plain ones "?".
      return node.Tag() == "!" ? nlohmann::json(node.Scalar()) : plain_scalar(node.Scalar());
    case YAML::NodeType::Sequence: {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& item : node) out.push_back(to_json(item));
      return out;
    }
    case YAML::NodeType::Map: {
      nlohmann::json out = nlohmann::json::object();
      for (const auto& kv : node) out[kv.first.as<std::string>()] = to_json(kv.second);
      return out;
    }
  }
  return nullptr;
}

}  // namespace

std::string yaml_to_json(const std::string& yaml_text) {
  try {
    return to_json(YAML::Load(yaml_text)).dump();
  } catch (const YAML::Exception& e) {
    throw std::runtime_error("openapi.yaml:" + std::to_string(e.mark.line + 1) + ":" +
                             std::to_string(e.mark.column + 1) + ": " + e.msg);
  }
}

const std::string& openapi_json() {
  static const std::string json = [] {
    for (const EmbeddedFile& f : embedded_openapi())
      if (f.name == "openapi.yaml") return yaml_to_json(std::string(f.contents));
    throw std::runtime_error("openapi.yaml is not embedded");
  }();
  return json;
}

void add_openapi_route(http::Router& router, const ApiContext& api) {
  openapi_json();  // a broken document fails at startup, not on the first request
  api.public_route(router, "GET", "/api/v1/openapi.json", [](const http::Request&) {
    http::Response r = http::json_response(200, openapi_json());
    r.headers.emplace_back("Cache-Control", "public, max-age=300");
    return r;
  });
}

}  // namespace reos::api
