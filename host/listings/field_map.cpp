#include "listings/field_map.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "listings/value_convert.hpp"

namespace reos::listings {

namespace {

using nlohmann::json;

enum class Type { string, integer, number, date, timestamp, boolean, json };

/// One piece of a source value: a source field, optionally converted (a date in a key).
struct Part {
  std::string field;
  std::string at;  ///< "file:line:col: fields.X.from" for errors about the field itself
  bool has_type = false;
  Type type = Type::string;
};

/// How one canonical field is made.
struct FieldSpec {
  std::string name;
  std::vector<Part> from;  ///< empty when `constant` is used
  std::string join = "-";
  Type type = Type::string;
  bool round_down = false;
  bool required = false;
  bool has_constant = false;
  json constant;
  bool has_lookup = false;
  std::map<std::string, json> lookup;
  bool has_lookup_default = false;
  json lookup_default;
};

std::string where(const std::string& name, const YAML::Node& node) {
  const YAML::Mark m = node.Mark();
  return name + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1) + ": ";
}

/// A YAML scalar as JSON: null, booleans, numbers, else a string.
json scalar_json(const YAML::Node& node) {
  if (node.IsNull()) return nullptr;
  const std::string s = node.Scalar();
  if (node.Tag() == "!") return s;  // quoted: always a string
  if (s == "true") return true;
  if (s == "false") return false;
  if (s == "null" || s == "~") return nullptr;
  double d;
  std::string why;
  if (to_number(s, d, why)) {
    long long i;
    if (to_integer(s, false, i, why)) return i;
    return d;
  }
  return s;
}

Type parse_type(const std::string& s, const std::string& at) {
  static const std::map<std::string, Type> types = {
      {"string", Type::string}, {"integer", Type::integer},     {"number", Type::number},
      {"date", Type::date},     {"timestamp", Type::timestamp}, {"boolean", Type::boolean},
      {"json", Type::json}};
  const auto it = types.find(s);
  if (it == types.end())
    throw FieldMapError(at + "unknown type '" + s +
                        "' (use string, integer, number, date, timestamp, boolean or json)");
  return it->second;
}

Part parse_part(const YAML::Node& node, const std::string& name, const std::string& path) {
  Part p;
  if (node.IsScalar()) {
    p.field = node.Scalar();
  } else if (node.IsMap() && node["from"] && node["from"].IsScalar()) {
    p.field = node["from"].Scalar();
    for (const auto& kv : node) {
      const std::string k = kv.first.Scalar();
      if (k == "type") {
        p.has_type = true;
        p.type = parse_type(kv.second.Scalar(), where(name, kv.second) + path + ".type: ");
      } else if (k != "from") {
        throw FieldMapError(where(name, kv.first) + path + ": unknown key '" + k + "'");
      }
    }
  } else {
    throw FieldMapError(where(name, node) + path +
                        ": expected a source field name or {from, type}");
  }
  if (p.field.empty()) throw FieldMapError(where(name, node) + path + ": empty field name");
  p.at = where(name, node) + path;
  return p;
}

FieldSpec parse_spec(const std::string& field, const YAML::Node& node, const std::string& name) {
  FieldSpec s;
  s.name = field;
  const std::string path = "fields." + field;
  if (!node.IsMap()) throw FieldMapError(where(name, node) + path + ": expected a mapping");
  for (const auto& kv : node) {
    const std::string k = kv.first.Scalar();
    const YAML::Node& v = kv.second;
    const std::string at = where(name, v) + path + "." + k + ": ";
    if (k == "from") {
      if (v.IsSequence()) {
        for (std::size_t i = 0; i < v.size(); ++i)
          s.from.push_back(parse_part(v[i], name, path + ".from[" + std::to_string(i) + "]"));
        if (s.from.empty()) throw FieldMapError(at + "expected at least one source field");
      } else {
        s.from.push_back(parse_part(v, name, path + ".from"));
      }
    } else if (k == "type") {
      s.type = parse_type(v.Scalar(), at);
    } else if (k == "value") {
      s.has_constant = true;
      s.constant = scalar_json(v);
    } else if (k == "join") {
      s.join = v.Scalar();
    } else if (k == "required") {
      s.required = v.as<bool>();
    } else if (k == "round") {
      if (v.Scalar() != "down") throw FieldMapError(at + "only 'down' is supported");
      s.round_down = true;
    } else if (k == "lookup") {
      if (!v.IsMap()) throw FieldMapError(at + "expected a mapping of source value → value");
      s.has_lookup = true;
      for (const auto& e : v) s.lookup[e.first.Scalar()] = scalar_json(e.second);
    } else if (k == "lookup_default") {
      s.has_lookup_default = true;
      s.lookup_default = scalar_json(v);
    } else {
      throw FieldMapError(where(name, kv.first) + path + ": unknown key '" + k +
                          "' (from, type, value, join, required, round, lookup, lookup_default)");
    }
  }
  if (s.has_constant == !s.from.empty())
    throw FieldMapError(where(name, node) + path + ": needs exactly one of 'from' and 'value'");
  // A JSON value is passed through whole: nothing to join, look up, round or convert per part.
  if (s.type == Type::json &&
      (s.from.size() != 1 || s.from[0].has_type || s.has_lookup || s.round_down))
    throw FieldMapError(
        where(name, node) + path +
        ": type json takes one source field, without lookup, round or a typed part");
  return s;
}

/// The raw text of a source field; false when missing, null or blank.
bool raw_text(const json& raw, const std::string& field, std::string& out) {
  const auto it = raw.find(field);
  if (it == raw.end() || it->is_null()) return false;
  out = it->is_string() ? it->get<std::string>() : it->dump();
  const auto b = out.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return false;
  out = out.substr(b, out.find_last_not_of(" \t\r\n") - b + 1);
  return true;
}

/// Converts text to `type`; false with `why` when it does not fit.
bool convert(const std::string& text, Type type, bool round_down, json& out, std::string& why) {
  switch (type) {
    case Type::string:
      out = text;
      return true;
    case Type::integer: {
      long long i;
      if (!to_integer(text, round_down, i, why)) return false;
      out = i;
      return true;
    }
    case Type::number: {
      double d;
      if (!to_number(text, d, why)) return false;
      long long i;
      std::string ignored;
      if (to_integer(text, false, i, ignored)) {
        out = i;  // 1.225e+006 → 1225000, an exact integer
      } else {
        out = d;
      }
      return true;
    }
    case Type::date:
    case Type::timestamp: {
      std::string s;
      if (!(type == Type::date ? to_date(text, s, why) : to_timestamp(text, s, why))) return false;
      out = s;
      return true;
    }
    case Type::boolean: {
      bool b;
      if (!to_boolean(text, b, why)) return false;
      out = b;
      return true;
    }
    case Type::json:
      break;  // not text: see json_value()
  }
  return false;
}

/// A `type: json` source value: a JSON array or object as sent, or JSON text holding one (a CSV
/// column). False when missing, null or blank; `why` is set when present but not usable.
bool json_value(const json& raw, const std::string& field, json& out, std::string& why) {
  const auto it = raw.find(field);
  if (it == raw.end() || it->is_null()) return false;
  if (it->is_string()) {
    const std::string& text = it->get_ref<const std::string&>();
    if (text.find_first_not_of(" \t\r\n") == std::string::npos) return false;
    out = json::parse(text, nullptr, false);
    if (out.is_discarded()) return why = "'" + text.substr(0, 60) + "' is not JSON", true;
  } else {
    out = *it;
  }
  if (!out.is_array() && !out.is_object())
    why = "expected a JSON array or object, got " + std::string(out.type_name());
  return true;
}

/// A URI as JSON Schema's `format: uri` means it: a scheme, then no blanks or control bytes.
bool is_uri(const std::string& s) {
  const auto colon = s.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == s.size()) return false;
  if (!std::isalpha(static_cast<unsigned char>(s[0]))) return false;
  for (std::size_t i = 1; i < colon; ++i)
    if (!std::isalnum(static_cast<unsigned char>(s[i])) && s[i] != '+' && s[i] != '-' &&
        s[i] != '.')
      return false;
  for (const char c : s)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;
  return true;
}

/// Checks (and tidies) a canonical Media array against schemas/property.json's Media items:
/// objects with a MediaURL (a URI); MediaKey, MediaCategory, ShortDescription strings; Order a
/// non-negative integer (2.0 is taken as 2). Null members are dropped (null = absent, as for
/// every field); other members pass through. Empty `why` when fine.
void check_media(json& media, std::string& why) {
  if (!media.is_array()) return void(why = "expected an array of media objects");
  for (std::size_t i = 0; i < media.size(); ++i) {
    json& item = media[i];
    const std::string at = "item " + std::to_string(i) + ": ";
    if (!item.is_object()) return void(why = at + "expected an object");
    for (auto m = item.begin(); m != item.end();) m = m->is_null() ? item.erase(m) : std::next(m);
    const auto url = item.find("MediaURL");
    if (url == item.end()) return void(why = at + "MediaURL is missing");
    if (!url->is_string() || !is_uri(url->get<std::string>()))
      return void(why = at + "MediaURL " + url->dump().substr(0, 80) + " is not a URI");
    for (const char* name : {"MediaKey", "MediaCategory", "ShortDescription"})
      if (const auto m = item.find(name); m != item.end() && !m->is_string())
        return void(why = at + name + ": expected a string, got " + m->dump().substr(0, 40));
    if (const auto order = item.find("Order"); order != item.end()) {
      const bool whole = order->is_number_float() && order->get<double>() >= 0 &&
                         order->get<double>() <= 1e15 &&
                         order->get<double>() == static_cast<double>(order->get<long long>());
      if (whole) *order = order->get<long long>();
      if (!order->is_number_integer() || order->get<long long>() < 0)
        return void(why = at + "Order: expected a non-negative integer, got " +
                          order->dump().substr(0, 40));
    }
  }
}

/// How many Media items the photo fetcher takes as photos: the rule of blobs::wanted_photos
/// (a MediaURL, and a MediaCategory that is absent or a picture), counted on the parsed array
/// rather than on its text (wanted_photos parses; this runs for every record of a page).
std::size_t photo_count(const json& media) {
  std::size_t n = 0;
  for (const json& item : media) {
    const auto url = item.find("MediaURL");
    if (url == item.end() || !url->is_string() || url->get_ref<const std::string&>().empty())
      continue;
    std::string category;
    if (const auto c = item.find("MediaCategory"); c != item.end() && c->is_string())
      category = c->get<std::string>();
    for (char& ch : category) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    n += category.empty() || category == "photo" || category == "photos" ||
         category == "floor plan" || category == "floorplan" || category == "image";
  }
  return n;
}

}  // namespace

struct FieldMap::Impl {
  std::vector<FieldSpec> fields;
};

FieldMap FieldMap::parse(const std::string& yaml_text, const std::string& name) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::Exception& e) {
    throw FieldMapError(name + ":" + std::to_string(e.mark.line + 1) + ":" +
                        std::to_string(e.mark.column + 1) + ": " + e.msg);
  }
  if (!root.IsMap() || !root["fields"] || !root["fields"].IsMap())
    throw FieldMapError(name + ": expected a mapping with 'fields:' (canonical field → spec)");
  auto impl = std::make_shared<Impl>();
  try {
    for (const auto& kv : root["fields"])
      impl->fields.push_back(parse_spec(kv.first.Scalar(), kv.second, name));
  } catch (const YAML::Exception& e) {
    throw FieldMapError(name + ":" + std::to_string(e.mark.line + 1) + ":" +
                        std::to_string(e.mark.column + 1) + ": " + e.msg);
  }
  FieldMap map;
  map.impl_ = std::move(impl);
  return map;
}

FieldMap FieldMap::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw FieldMapError("cannot read field map '" + path + "'");
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str(), path);
}

std::vector<std::string> FieldMap::unknown_source_fields(
    const std::vector<std::string>& available) const {
  std::vector<std::string> problems;
  if (!impl_) return problems;
  std::string listed;
  for (const std::string& f : available) listed += (listed.empty() ? "" : ", ") + f;
  if (listed.size() > 300) listed = listed.substr(0, 300) + "…";
  for (const FieldSpec& spec : impl_->fields) {
    // A metadata table lists a server's scalar fields; an array such as Media is made by the
    // plugin (RETS GetObject) or is a navigation property (RESO $expand), so it is not in it.
    if (spec.type == Type::json) continue;
    for (const Part& part : spec.from)
      if (std::find(available.begin(), available.end(), part.field) == available.end())
        problems.push_back(part.at + ": \"" + part.field + "\" is not a field of the source");
  }
  // The source's list once, after the last problem (it can be long).
  if (!problems.empty()) problems.back() += " (its metadata has: " + listed + ")";
  return problems;
}

std::size_t FieldMap::size() const {
  return impl_ ? impl_->fields.size() : 0;
}

Normalized FieldMap::apply(const pipeline::RecordJson& record) const {
  Normalized result;
  const json& raw = record.value();
  if (!raw.is_object()) return result.reason = "record is not a JSON object", result;
  if (const auto bad = raw.find("_malformed"); bad != raw.end()) {
    const auto line = raw.find("_line");
    result.reason = "malformed source row" +
                    (line != raw.end() ? " at line " + line->dump() : std::string()) + ": " +
                    (bad->is_string() ? bad->get<std::string>() : bad->dump());
    return result;
  }
  json out = json::object();
  for (const FieldSpec& f : impl_->fields) {
    json value;
    std::string why;
    if (f.has_constant) {
      value = f.constant;
    } else if (f.type == Type::json) {
      if (json_value(raw, f.from[0].field, value, why) && why.empty() && f.name == "Media")
        check_media(value, why);
      if (!why.empty()) return result.reason = f.name + ": " + why, result;
    } else {
      std::string text;
      bool present = true;
      for (std::size_t i = 0; i < f.from.size() && present; ++i) {
        std::string piece;
        present = raw_text(raw, f.from[i].field, piece);
        if (present && f.from[i].has_type) {
          json converted;
          if (!convert(piece, f.from[i].type, false, converted, why))
            return result.reason = f.name + ": " + f.from[i].field + ": " + why, result;
          piece = converted.is_string() ? converted.get<std::string>() : converted.dump();
        }
        if (i > 0) text += f.join;
        text += piece;
      }
      if (present && f.has_lookup) {
        const auto hit = f.lookup.find(text);
        if (hit != f.lookup.end()) {
          value = hit->second;
        } else if (f.has_lookup_default) {
          value = f.lookup_default;
        } else if (!convert(text, f.type, f.round_down, value, why)) {
          return result.reason = f.name + ": " + why, result;
        }
      } else if (present && !convert(text, f.type, f.round_down, value, why)) {
        return result.reason = f.name + ": " + why, result;
      }
    }
    if (value.is_null()) {
      if (f.required)
        return result.reason = f.name + ": missing" +
                               (f.from.empty() ? "" : " (source field '" + f.from[0].field + "')"),
               result;
      continue;
    }
    out[f.name] = std::move(value);
  }
  // PhotosCount follows Media when the record has Media: it is then the number of photos the
  // hub will fetch and serve (docs/listings.md, "Media and PhotosCount").
  if (const auto media = out.find("Media"); media != out.end() && media->is_array())
    out["PhotosCount"] = photo_count(*media);
  result.ok = true;
  result.record = pipeline::RecordJson::adopt(std::move(out));
  return result;
}

std::string resolve_field_map_path(const std::string& field_map, const std::string& tenant_file) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path p(field_map);
  if (p.is_absolute()) return fs::exists(p, ec) ? p.string() : "";
  if (!tenant_file.empty()) {
    for (fs::path dir = fs::absolute(tenant_file, ec).parent_path(); !dir.empty();
         dir = dir.parent_path()) {
      if (fs::exists(dir / p, ec)) return (dir / p).lexically_normal().string();
      if (dir == dir.root_path()) break;
    }
  }
  return fs::exists(p, ec) ? fs::absolute(p, ec).lexically_normal().string() : "";
}

FieldMap cached_field_map(const std::string& field_map, const std::string& tenant_file) {
  static std::mutex mutex;
  static std::map<std::string, FieldMap> cache;
  const std::string path = resolve_field_map_path(field_map, tenant_file);
  if (path.empty())
    throw FieldMapError("field map '" + field_map + "' not found (looked beside " +
                        (tenant_file.empty() ? std::string("the working directory") : tenant_file) +
                        " and in its parent folders)");
  std::lock_guard<std::mutex> lock(mutex);
  const auto it = cache.find(path);
  if (it != cache.end()) return it->second;
  FieldMap map = FieldMap::load(path);
  cache.emplace(path, map);
  return map;
}

}  // namespace reos::listings
