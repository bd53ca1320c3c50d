#pragma once

#include <cstdint>
#include <string>

namespace reos::plugin_runtime {

/// "source,enricher" for REOS_KIND_SOURCE|REOS_KIND_ENRICHER ("" for none); for listings.
std::string kind_names(uint32_t kinds);

/// The name of one REOS_KIND_* bit ("enricher"), or "kind 0x40" for an unknown bit.
std::string kind_name(uint32_t kind_bit);

/// "OK", "RETRY", "FAIL", "INVALID", "NOT_FOUND", "UNSUPPORTED", or "status 42".
std::string status_name(int32_t status);

/// Every kind bit this host knows (REOS_KIND_SOURCE … REOS_KIND_WEBHOOK).
uint32_t known_kinds();

}  // namespace reos::plugin_runtime
