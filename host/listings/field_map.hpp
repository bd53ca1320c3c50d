#pragma once

// The pipeline's normalize stage: a declarative field map (connectors/*.yaml) that turns a
// source's raw record into the canonical record (schemas/property.json). See docs/listings.md.

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "pipeline/record_json.hpp"

namespace reos::listings {

/// A field map that cannot be loaded; the message names the file, line, column and field.
class FieldMapError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The result of normalizing one record: the canonical record, or why it was refused.
struct Normalized {
  bool ok = false;
  pipeline::RecordJson record;  ///< the canonical record when ok
  std::string reason;           ///< why not, e.g. "ClosePrice: 'abc' is not a number"
};

/// A loaded field map. Immutable; copies share it; safe to use from several threads.
class FieldMap {
 public:
  /// Loads a field map file. Throws FieldMapError.
  static FieldMap load(const std::string& path);
  /// Parses field map YAML; `name` is used in error messages. Throws FieldMapError.
  static FieldMap parse(const std::string& yaml_text, const std::string& name);

  /// Maps one raw record. A `lookup` replaces the listed source values; other values get
  /// `lookup_default` when the spec has one, else are converted by `type`. A record the source
  /// marked malformed (`_malformed`, `_line`), a required field that is missing or a value that
  /// does not convert gives ok = false.
  Normalized apply(const pipeline::RecordJson& raw) const;

  /// One `file:line:col: fields.X.from: "Name" is not a field of the source` per source field
  /// the map reads that is not in `available` (a source's metadata, e.g. RETS METADATA-TABLE),
  /// the last one followed by ` (its metadata has: …)`; empty when every one exists.
  /// `type: json` fields are not checked (metadata lists scalar fields; Media is assembled).
  std::vector<std::string> unknown_source_fields(const std::vector<std::string>& available) const;

  /// Number of canonical fields the map writes.
  std::size_t size() const;

 private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;
};

/// Finds a field map named in a tenant file: an absolute path as is; a relative one against
/// the tenant file's folder, then each of its parent folders, then the working directory.
/// Returns "" when none exists.
std::string resolve_field_map_path(const std::string& field_map, const std::string& tenant_file);

/// load() with a process-wide cache keyed by the resolved path (the file is read once).
/// Throws FieldMapError, also when the file does not exist.
FieldMap cached_field_map(const std::string& field_map, const std::string& tenant_file);

}  // namespace reos::listings
