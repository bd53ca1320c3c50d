#pragma once

#include "core/embedded_file.hpp"

namespace reos::db {

/// The migrations/*.sql files of the source tree this binary was built from, sorted by name.
const std::vector<EmbeddedFile>& embedded_migrations();

}  // namespace reos::db
