// Settings against $metadata (see the header).
#include "metadata_check.hpp"

#include <reos/plugin.hpp>
#include <vector>

namespace reso {

namespace {

/// The items of a $select / $expand list; commas inside parentheses (Media($top=5,…)) do not
/// split.
std::vector<std::string> split_list(const std::string& list) {
  std::vector<std::string> out;
  int depth = 0;
  std::string item;
  for (const char c : list + ",") {
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (c == ',' && depth == 0) {
      const auto b = item.find_first_not_of(' ');
      if (b != std::string::npos) out.push_back(item.substr(b, item.find_last_not_of(' ') - b + 1));
      item.clear();
    } else {
      item += c;
    }
  }
  return out;
}

}  // namespace

void check_against_metadata(const Settings& s, const EntityFields& fields) {
  const std::string where = " in this server's $metadata";
  if (!fields.found)
    throw reos::Invalid("settings.resource: '" + s.resource + "' is not an entity set" + where);
  auto require = [&](const char* key, const std::string& field) {
    if (fields.properties.count(field) == 0)
      throw reos::Invalid(std::string("settings.") + key + ": '" + field +
                          "' is not a property of " + s.resource + where);
  };
  require("timestamp_field", s.timestamp_field);
  require("key_field", s.key_field);
  for (const std::string& f : split_list(s.select)) require("select", f);
  for (const std::string& e : split_list(s.expand)) {
    const std::string name = e.substr(0, e.find('('));
    if (fields.navigation.count(name) == 0)
      throw reos::Invalid("settings.expand: '" + name + "' is not a navigation property of " +
                          s.resource + where);
  }
}

}  // namespace reso
