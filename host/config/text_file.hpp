#pragma once

#include <string>

namespace reos::config {

/// Reads a whole file. Returns "" on success, else the system's reason (strerror), which
/// callers put in front of an operator; the content itself is never part of an error.
std::string read_text_file(const std::string& path, std::string& content);

}  // namespace reos::config
