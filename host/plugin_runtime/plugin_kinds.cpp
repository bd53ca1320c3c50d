#include "plugin_runtime/plugin_kinds.hpp"

#include <cstdio>

#include "reos/plugin.h"

namespace reos::plugin_runtime {
namespace {

struct KindName {
  uint32_t bit;
  const char* name;
};

constexpr KindName kKinds[] = {
    {REOS_KIND_SOURCE, "source"},     {REOS_KIND_ENRICHER, "enricher"},
    {REOS_KIND_SCORER, "scorer"},     {REOS_KIND_NOTIFIER, "notifier"},
    {REOS_KIND_EXPORTER, "exporter"}, {REOS_KIND_WEBHOOK, "webhook"},
};

}  // namespace

uint32_t known_kinds() {
  uint32_t all = 0;
  for (const KindName& k : kKinds) all |= k.bit;
  return all;
}

std::string kind_name(uint32_t kind_bit) {
  for (const KindName& k : kKinds) {
    if (k.bit == kind_bit) return k.name;
  }
  char text[32];
  std::snprintf(text, sizeof text, "kind 0x%x", kind_bit);
  return text;
}

std::string kind_names(uint32_t kinds) {
  std::string text;
  for (uint32_t bit = 1; bit != 0; bit <<= 1) {
    if (!(kinds & bit)) continue;
    if (!text.empty()) text += ',';
    text += kind_name(bit);
  }
  return text;
}

std::string status_name(int32_t status) {
  switch (status) {
    case REOS_OK:
      return "OK";
    case REOS_RETRY:
      return "RETRY";
    case REOS_FAIL:
      return "FAIL";
    case REOS_INVALID:
      return "INVALID";
    case REOS_NOT_FOUND:
      return "NOT_FOUND";
    case REOS_UNSUPPORTED:
      return "UNSUPPORTED";
    default:
      return "status " + std::to_string(status);
  }
}

}  // namespace reos::plugin_runtime
