#pragma once

#include <string>
#include <string_view>

namespace reos::plugin_runtime {

/// Checks that `text` is exactly one JSON object (RFC 8259, UTF-8, surrounding whitespace
/// allowed, nesting at most 512 deep) without building it: the per-call check of what a
/// plugin emits. A hand-written scanner, several times faster than a full parse, so a 1 KB
/// record costs well under a microsecond. On failure returns false and, when `why` is given,
/// a short reason with the byte offset ("invalid JSON at byte 1: expected a string key").
/// Thread-safe (no state).
bool is_json_object_text(std::string_view text, std::string* why = nullptr);

}  // namespace reos::plugin_runtime
