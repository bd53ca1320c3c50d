// reos/plugin.h compiles as C++17 -pedantic -Werror, and REOS_PLUGIN_DEFINE gives the entry
// point C linkage (its address converts to the C function pointer type unmangled).
#include <reos/plugin.h>

namespace {
reos_status check_create(const reos_host_api* host, reos_call*, const char*, size_t,
                         reos_instance** instance) {
  *instance = nullptr;
  return REOS_HOST_HAS(host, http) ? REOS_OK : REOS_UNSUPPORTED;
}
void check_destroy(reos_instance*) {}
const reos_plugin_descriptor check_descriptor = {REOS_DESCRIPTOR_HEADER,
                                                 "cxx17_check",
                                                 "1",
                                                 "",
                                                 REOS_KIND_SOURCE,
                                                 0,
                                                 nullptr,
                                                 check_create,
                                                 check_destroy,
                                                 nullptr,
                                                 nullptr,
                                                 nullptr,
                                                 nullptr,
                                                 nullptr,
                                                 nullptr};
}  // namespace

REOS_PLUGIN_DEFINE(check_descriptor)

static_assert(sizeof(reos_plugin_descriptor) % alignof(void*) == 0, "descriptor layout");
