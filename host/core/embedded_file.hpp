#pragma once

#include <string_view>
#include <vector>

namespace reos {

/// A file compiled into the binary (migrations, JSON Schemas): its base name and contents.
/// Both views point at static storage and live for the whole process.
struct EmbeddedFile {
  std::string_view name;
  std::string_view contents;
};

}  // namespace reos
