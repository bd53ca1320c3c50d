// CSDL $metadata reading (see the header).
#include "odata_metadata.hpp"

#include <expat.h>

#include <map>
#include <memory>

namespace reso {

namespace {

struct Reader {
  std::string ns;       ///< Namespace of the current Schema
  std::string current;  ///< qualified name of the EntityType being read, "" outside one
  std::map<std::string, EntityFields> types;  ///< qualified name → fields
  std::map<std::string, std::string> sets;    ///< EntitySet Name → EntityType
  std::string alias;                          ///< Alias of the current Schema
};

std::string local(const char* name) {
  std::string n(name);
  const std::size_t colon = n.rfind(':');
  return colon == std::string::npos ? n : n.substr(colon + 1);
}

std::string attr(const char** atts, const char* key) {
  for (int i = 0; atts[i] != nullptr; i += 2)
    if (std::string(atts[i]) == key) return atts[i + 1];
  return "";
}

void XMLCALL on_start(void* data, const char* name, const char** atts) {
  auto* r = static_cast<Reader*>(data);
  const std::string el = local(name);
  if (el == "Schema") {
    r->ns = attr(atts, "Namespace");
    r->alias = attr(atts, "Alias");
  } else if (el == "EntityType") {
    r->current = r->ns + "." + attr(atts, "Name");
    r->types[r->current].type = r->current;
    r->types[r->current].found = true;
  } else if (el == "Property" && !r->current.empty()) {
    r->types[r->current].properties.insert(attr(atts, "Name"));
  } else if (el == "NavigationProperty" && !r->current.empty()) {
    r->types[r->current].navigation.insert(attr(atts, "Name"));
  } else if (el == "EntitySet") {
    std::string type = attr(atts, "EntityType");
    if (!r->alias.empty() && type.rfind(r->alias + ".", 0) == 0)
      type = r->ns + type.substr(r->alias.size());
    r->sets[attr(atts, "Name")] = type;
  }
}

void XMLCALL on_end(void* data, const char* name) {
  auto* r = static_cast<Reader*>(data);
  if (local(name) == "EntityType") r->current.clear();
}

}  // namespace

EntityFields entity_fields(std::string_view edmx, const std::string& entity_set) {
  Reader reader;
  std::unique_ptr<XML_ParserStruct, decltype(&XML_ParserFree)> parser(XML_ParserCreate(nullptr),
                                                                      &XML_ParserFree);
  XML_SetUserData(parser.get(), &reader);
  XML_SetElementHandler(parser.get(), on_start, on_end);
  if (XML_Parse(parser.get(), edmx.data(), static_cast<int>(edmx.size()), 1) == XML_STATUS_ERROR)
    throw std::runtime_error(std::string("$metadata is not valid XML: ") +
                             XML_ErrorString(XML_GetErrorCode(parser.get())) + " at line " +
                             std::to_string(XML_GetCurrentLineNumber(parser.get())));
  if (const auto set = reader.sets.find(entity_set); set != reader.sets.end()) {
    if (const auto t = reader.types.find(set->second); t != reader.types.end()) return t->second;
  }
  for (const auto& [qualified, fields] : reader.types) {
    const std::size_t dot = qualified.rfind('.');
    if (qualified.substr(dot == std::string::npos ? 0 : dot + 1) == entity_set) return fields;
  }
  return {};
}

}  // namespace reso
