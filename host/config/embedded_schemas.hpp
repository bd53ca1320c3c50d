#pragma once

#include <string_view>

namespace reos::config {

/// Text of schemas/config/<file_name> as it was at build time ("" when there is no such
/// schema). Compiled in so validation does not depend on the working directory.
std::string_view embedded_schema(std::string_view file_name);

}  // namespace reos::config
