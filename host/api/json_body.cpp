#include "api/json_body.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "api/api_context.hpp"
#include "api/embedded_api_schemas.hpp"
#include "config/json_schema.hpp"

namespace reos::api {
namespace {

// Schemas compile once, on first use; JsonSchema::validate is thread-safe.
std::shared_ptr<const config::JsonSchema> schema_named(const std::string& name) {
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const config::JsonSchema>> cache;
  std::lock_guard<std::mutex> lock(mutex);
  if (auto it = cache.find(name); it != cache.end()) return it->second;
  const std::string text = api_schema_text(name + ".json");
  if (text.empty()) throw std::invalid_argument("no API schema named '" + name + "'");
  auto schema = config::JsonSchema::compile(nlohmann::json::parse(text));
  cache.emplace(name, schema);
  return schema;
}

/// The field a problem is about, as a JSON pointer without the leading '/'. The validator
/// reports a missing required key at its parent object; a client wants the key itself.
std::string field_name(const config::SchemaProblem& p) {
  std::string name = p.pointer.empty() ? "" : p.pointer.substr(1);
  static const std::string kMissing = "missing required key '";
  if (p.message.rfind(kMissing, 0) == 0) {
    const auto end = p.message.find('\'', kMissing.size());
    if (end != std::string::npos) {
      const std::string key = p.message.substr(kMissing.size(), end - kMissing.size());
      name += (name.empty() ? "" : "/") + key;
    }
  }
  return name;
}

}  // namespace

std::string api_schema_text(const std::string& file_name) {
  for (const EmbeddedFile& f : embedded_api_schemas()) {
    if (f.name == file_name) return std::string(f.contents);
  }
  return "";
}

std::size_t json_nesting_depth(const std::string& text) {
  std::size_t depth = 0;
  std::size_t deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      deepest = std::max(deepest, ++depth);
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

nlohmann::json parse_json_body(const http::Request& request, const std::string& schema_name,
                               std::size_t max_depth) {
  const auto schema = schema_named(schema_name);
  if (json_nesting_depth(request.body) > max_depth) {
    throw ApiError(400, "Malformed JSON",
                   "the body nests deeper than " + std::to_string(max_depth) + " levels");
  }
  nlohmann::json body = nlohmann::json::parse(request.body, nullptr, false);
  if (body.is_discarded()) {
    throw ApiError(
        400, "Malformed JSON",
        request.body.empty() ? "the request needs a JSON body" : "the body is not valid JSON");
  }
  std::vector<http::InvalidParam> invalid;
  for (const config::SchemaProblem& p : schema->validate(body)) {
    invalid.push_back({field_name(p), p.message});
  }
  if (!invalid.empty()) throw_invalid(std::move(invalid));
  return body;
}

}  // namespace reos::api
