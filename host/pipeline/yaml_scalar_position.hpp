#pragma once

#include <cstddef>
#include <string_view>

#include "config/yaml_document.hpp"

namespace reos::pipeline {

/// Where the byte at `offset` (0-based) of a YAML scalar's VALUE was written in `text`, the file
/// holding it; `start` is the scalar's recorded position (its first character, the opening
/// quote, or the `|`/`>` indicator). Understands plain, single-quoted (`''`), double-quoted
/// (`\` escapes) and block scalars, and line folding; an offset at the end of the value maps
/// to the closing quote (or just past the last character). Positions not in `text` (overrides,
/// line 0) come back as `start`. Block scalars assume the indentation of their first line and
/// folded (`>`) blank lines count as one character each — close, not exact, for exotic cases.
config::SourcePos position_in_scalar(std::string_view text, const config::SourcePos& start,
                                     std::size_t offset);

}  // namespace reos::pipeline
