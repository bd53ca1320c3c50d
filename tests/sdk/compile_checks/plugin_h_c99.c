/* reos/plugin.h compiles as strict C99 (-std=c99 -pedantic -Werror), macros included. */
#include <reos/plugin.h>

static reos_status check_create(const reos_host_api* host, reos_call* call, const char* settings,
                                size_t settings_len, reos_instance** instance) {
  (void)settings;
  (void)settings_len;
  *instance = NULL;
  if (!REOS_HOST_HAS(host, blob_get)) return REOS_UNSUPPORTED;
  host->set_message(call, "x", 1);
  return REOS_OK;
}

static void check_destroy(reos_instance* instance) {
  (void)instance;
}

static const reos_plugin_descriptor check_descriptor = {
    REOS_DESCRIPTOR_HEADER,    .name = "c99_check",    .version = "1",          .description = "",
    .kinds = REOS_KIND_SOURCE, .create = check_create, .destroy = check_destroy};

REOS_PLUGIN_DEFINE(check_descriptor)
