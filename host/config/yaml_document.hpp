#pragma once

#include <map>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "config/config_error.hpp"

namespace reos::config {

/// Where a value came from: the file as given (1-based line/column) or an override such as
/// `env:REOS_HTTP__PORT` (line 0), so every error can name its origin.
struct SourcePos {
  std::string source;
  int line = 0;
  int column = 0;
};

/// A node's own position and that of the key naming it (the same for the root and items).
struct NodeOrigin {
  SourcePos value;
  SourcePos key;
};

/// A YAML document converted to JSON (which the schema validator understands) that remembers,
/// per JSON pointer, where each node was written.
class YamlDocument {
 public:
  explicit YamlDocument(std::string source);
  ~YamlDocument();
  YamlDocument(YamlDocument&&) noexcept;
  YamlDocument& operator=(YamlDocument&&) noexcept;

  const std::string& source() const { return source_; }
  nlohmann::json& root() { return *root_; }
  const nlohmann::json& root() const { return *root_; }

  void set_origin(const std::string& pointer, NodeOrigin origin);
  /// Position of `pointer`, or of its nearest recorded ancestor (a node the file never wrote).
  NodeOrigin origin_of(const std::string& pointer) const;
  /// Drops the positions of `pointer` and everything below it (an override replaces them).
  void forget_origins_under(const std::string& pointer);

 private:
  std::string source_;
  std::unique_ptr<nlohmann::json> root_;
  std::map<std::string, NodeOrigin> origins_;
};

/// Parses YAML `text` read from `doc.source()` into `doc`, resolving plain scalars by the YAML 1.2
/// core schema (quoted scalars stay strings). Reports duplicate and non-scalar keys and carries
/// on; returns false only when the text is not YAML at all (the error carries the parser's mark).
bool parse_yaml_document(const std::string& text, YamlDocument& doc,
                         std::vector<ConfigError>& errors);

/// Parses one override value: a flow collection or quoted scalar (`[a, b]`, `"8080"`) as YAML,
/// anything else as one plain scalar (`9090` is an integer, `a #b` the string "a #b"). Every
/// node it yields is recorded at `origin`. Returns false (with an error) when it is not YAML.
bool parse_yaml_value(const std::string& text, const std::string& pointer, const SourcePos& origin,
                      YamlDocument& doc, nlohmann::json& out, std::vector<ConfigError>& errors);

/// JSON pointer helpers (RFC 6901 escaping; "" is the root).
std::string pointer_append(const std::string& pointer, const std::string& key);
std::vector<std::string> pointer_segments(const std::string& pointer);

/// The dotted key path operators read (`http.port`, `connectors[1].plugin`); `root` tells
/// sequence indexes from mapping keys.
std::string dotted_path(const nlohmann::json& root, const std::string& pointer);

/// An error about the node at `pointer`, placed at its value, or at its key when `at_key`.
ConfigError error_at(const YamlDocument& doc, const std::string& pointer, std::string message,
                     bool at_key = false);

}  // namespace reos::config
