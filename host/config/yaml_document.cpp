#include "config/yaml_document.hpp"

#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstdlib>
#include <limits>
#include <nlohmann/json.hpp>
#include <regex>

namespace reos::config {
namespace {

using nlohmann::json;

SourcePos position(const YAML::Mark& mark, const std::string& source) {
  if (mark.is_null() || mark.line < 0) return {source, 0, 0};
  return {source, mark.line + 1, mark.column + 1};
}

bool is_core_null(const std::string& s) {
  return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}

// The YAML 1.2 core schema: https://yaml.org/spec/1.2.2/#1023-core-schema
json resolve_plain_scalar(const std::string& s) {
  static const std::regex kDecimal("[-+]?[0-9]+");
  static const std::regex kOctal("0o[0-7]+");
  static const std::regex kHex("0x[0-9a-fA-F]+");
  static const std::regex kFloat("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
  static const std::regex kInfinity("[-+]?\\.(inf|Inf|INF)");
  static const std::regex kNan("\\.(nan|NaN|NAN)");

  if (is_core_null(s)) return nullptr;
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  const auto integer = [&](const std::string& digits, int base) -> json {
    errno = 0;
    char* end = nullptr;
    const long long value = std::strtoll(digits.c_str(), &end, base);
    if (errno == ERANGE) return std::strtod(s.c_str(), nullptr);  // too big: keep it a number
    return static_cast<std::int64_t>(value);
  };
  if (std::regex_match(s, kDecimal)) return integer(s, 10);
  if (std::regex_match(s, kOctal)) return integer(s.substr(2), 8);
  if (std::regex_match(s, kHex)) return integer(s.substr(2), 16);
  if (std::regex_match(s, kFloat)) return std::strtod(s.c_str(), nullptr);
  if (std::regex_match(s, kInfinity)) {
    return s[0] == '-' ? -std::numeric_limits<double>::infinity()
                       : std::numeric_limits<double>::infinity();
  }
  if (std::regex_match(s, kNan)) return std::numeric_limits<double>::quiet_NaN();
  return s;
}

json resolve_scalar(const YAML::Node& node) {
  const std::string& tag = node.Tag();
  // "!" marks a quoted or block scalar: it is a string whatever it looks like.
  if (tag == "!" || tag == "tag:yaml.org,2002:str") return node.Scalar();
  return resolve_plain_scalar(node.Scalar());
}

class Converter {
 public:
  Converter(YamlDocument& doc, std::vector<ConfigError>& errors, std::string source,
            bool fixed_origin)
      : doc_(doc), errors_(errors), source_(std::move(source)), fixed_origin_(fixed_origin) {}

  // `fixed` is the origin used for every node when converting an override value.
  SourcePos fixed;

  json convert(const YAML::Node& node, const std::string& pointer, const std::string& dotted,
               const SourcePos& key_pos, const SourcePos& value_pos) {
    doc_.set_origin(pointer, {value_pos, key_pos});
    switch (node.Type()) {
      case YAML::NodeType::Map:
        return convert_map(node, pointer, dotted);
      case YAML::NodeType::Sequence: {
        json array = json::array();
        std::size_t index = 0;
        for (const auto& item : node) {
          const SourcePos item_pos = pos(item.Mark());
          array.push_back(convert(item, pointer_append(pointer, std::to_string(index)),
                                  dotted + "[" + std::to_string(index) + "]", item_pos, item_pos));
          ++index;
        }
        return array;
      }
      case YAML::NodeType::Scalar:
        return resolve_scalar(node);
      default:
        return nullptr;
    }
  }

  SourcePos pos(const YAML::Mark& mark) const {
    return fixed_origin_ ? fixed : position(mark, source_);
  }

 private:
  json convert_map(const YAML::Node& node, const std::string& pointer, const std::string& dotted) {
    json object = json::object();
    std::map<std::string, SourcePos> seen;
    for (auto it = node.begin(); it != node.end(); ++it) {
      const SourcePos key_pos = pos(it->first.Mark());
      if (!it->first.IsScalar()) {
        errors_.push_back({key_pos.source, key_pos.line, key_pos.column, dotted,
                           "mapping keys must be plain text"});
        continue;
      }
      const std::string key = it->first.Scalar();
      const std::string child_dotted = dotted.empty() ? key : dotted + "." + key;
      if (const auto first = seen.find(key); first != seen.end()) {
        errors_.push_back({key_pos.source, key_pos.line, key_pos.column, child_dotted,
                           "duplicate key '" + key + "' (first defined at line " +
                               std::to_string(first->second.line) + ")"});
        continue;
      }
      seen.emplace(key, key_pos);
      SourcePos value_pos = pos(it->second.Mark());
      // yaml-cpp marks an empty value (`key:`) at the start of the next line; point at the key.
      if (it->second.IsNull() && value_pos.line != key_pos.line) value_pos = key_pos;
      object[key] =
          convert(it->second, pointer_append(pointer, key), child_dotted, key_pos, value_pos);
    }
    return object;
  }

  YamlDocument& doc_;
  std::vector<ConfigError>& errors_;
  std::string source_;
  bool fixed_origin_;
};

}  // namespace

YamlDocument::YamlDocument(std::string source)
    : source_(std::move(source)), root_(std::make_unique<json>(json::object())) {}
YamlDocument::~YamlDocument() = default;
YamlDocument::YamlDocument(YamlDocument&&) noexcept = default;
YamlDocument& YamlDocument::operator=(YamlDocument&&) noexcept = default;

void YamlDocument::set_origin(const std::string& pointer, NodeOrigin origin) {
  origins_[pointer] = std::move(origin);
}

NodeOrigin YamlDocument::origin_of(const std::string& pointer) const {
  std::string p = pointer;
  while (true) {
    if (const auto it = origins_.find(p); it != origins_.end()) return it->second;
    if (p.empty()) return {{source_, 0, 0}, {source_, 0, 0}};
    p.erase(p.rfind('/'));
  }
}

void YamlDocument::forget_origins_under(const std::string& pointer) {
  for (auto it = origins_.begin(); it != origins_.end();) {
    const std::string& p = it->first;
    const bool under =
        p == pointer || (p.size() > pointer.size() && p.compare(0, pointer.size(), pointer) == 0 &&
                         p[pointer.size()] == '/');
    it = under ? origins_.erase(it) : std::next(it);
  }
}

bool parse_yaml_document(const std::string& text, YamlDocument& doc,
                         std::vector<ConfigError>& errors) {
  YAML::Node node;
  try {
    node = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    const SourcePos at = position(e.mark, doc.source());
    errors.push_back({at.source, at.line, at.column, "", "invalid YAML: " + e.msg});
    return false;
  }
  Converter converter(doc, errors, doc.source(), false);
  const SourcePos root_pos =
      node.IsNull() ? SourcePos{doc.source(), 1, 1} : position(node.Mark(), doc.source());
  json root = converter.convert(node, "", "", root_pos, root_pos);
  // An empty file (or one holding only comments) is an empty mapping: every key is optional.
  doc.root() = root.is_null() ? json::object() : std::move(root);
  return true;
}

bool parse_yaml_value(const std::string& text, const std::string& pointer, const SourcePos& origin,
                      YamlDocument& doc, json& out, std::vector<ConfigError>& errors) {
  doc.set_origin(pointer, {origin, origin});
  const std::size_t first = text.find_first_not_of(" \t");
  const char lead = first == std::string::npos ? '\0' : text[first];
  if (lead != '[' && lead != '{' && lead != '"' && lead != '\'') {
    // Taken verbatim rather than parsed: a password holding " #" or ": " must survive intact.
    // `REOS_DATABASE__URL=` means "empty string", not null.
    out = text.empty() ? json("") : resolve_plain_scalar(text);
    return true;
  }
  const std::string dotted = dotted_path(doc.root(), pointer);
  YAML::Node node;
  try {
    node = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    errors.push_back(
        {origin.source, origin.line, origin.column, dotted, "value is not valid YAML: " + e.msg});
    return false;
  }
  Converter converter(doc, errors, origin.source, true);
  converter.fixed = origin;
  out = converter.convert(node, pointer, dotted, origin, origin);
  return true;
}

std::string pointer_append(const std::string& pointer, const std::string& key) {
  std::string escaped;
  for (const char c : key) {
    if (c == '~') {
      escaped += "~0";
    } else if (c == '/') {
      escaped += "~1";
    } else {
      escaped += c;
    }
  }
  return pointer + "/" + escaped;
}

std::vector<std::string> pointer_segments(const std::string& pointer) {
  std::vector<std::string> segments;
  if (pointer.empty()) return segments;
  std::string current;
  for (std::size_t i = 1; i <= pointer.size(); ++i) {
    if (i == pointer.size() || pointer[i] == '/') {
      segments.push_back(current);
      current.clear();
    } else if (pointer[i] == '~' && i + 1 < pointer.size()) {
      current += pointer[i + 1] == '1' ? '/' : '~';
      ++i;
    } else {
      current += pointer[i];
    }
  }
  return segments;
}

std::string dotted_path(const json& root, const std::string& pointer) {
  std::string dotted;
  const json* node = &root;
  for (const std::string& segment : pointer_segments(pointer)) {
    if (node && node->is_array()) {
      dotted += "[" + segment + "]";
      const std::size_t index = std::strtoul(segment.c_str(), nullptr, 10);
      node = index < node->size() ? &(*node)[index] : nullptr;
      continue;
    }
    if (!dotted.empty()) dotted += '.';
    dotted += segment;
    if (node && node->is_object()) {
      const auto it = node->find(segment);
      node = it != node->end() ? &*it : nullptr;
    } else {
      node = nullptr;
    }
  }
  return dotted;
}

ConfigError error_at(const YamlDocument& doc, const std::string& pointer, std::string message,
                     bool at_key) {
  const NodeOrigin origin = doc.origin_of(pointer);
  const SourcePos& at = at_key ? origin.key : origin.value;
  return {at.source, at.line, at.column, dotted_path(doc.root(), pointer), std::move(message)};
}

}  // namespace reos::config
