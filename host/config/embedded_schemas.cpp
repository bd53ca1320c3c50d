#include "config/embedded_schemas.hpp"

namespace reos::config {

std::string_view embedded_schema(std::string_view file_name) {
  for (const EmbeddedFile& f : embedded_config_schemas()) {
    if (f.name == file_name) return f.contents;
  }
  return {};
}

}  // namespace reos::config
