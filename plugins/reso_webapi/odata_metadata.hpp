// odata_metadata.hpp — the fields of one entity set in a CSDL $metadata document (EDMX XML,
// OData 4.01 CSDL §3–§13), read with expat: used to check a connector's settings against
// what the server has before the first page.
#pragma once

#include <set>
#include <stdexcept>
#include <string>
#include <string_view>

namespace reso {

struct EntityFields {
  bool found = false;                ///< the entity set (or an entity type of that name) exists
  std::string type;                  ///< its qualified entity type, e.g. org.reso.metadata.Property
  std::set<std::string> properties;  ///< structural properties (Property Name=…)
  std::set<std::string> navigation;  ///< navigation properties (NavigationProperty Name=…)
};

/// The fields of the entity set `entity_set` (through its EntityType; an EntityType named
/// `entity_set` when no set is). Throws std::runtime_error when the XML is malformed.
EntityFields entity_fields(std::string_view edmx, const std::string& entity_set);

}  // namespace reso
