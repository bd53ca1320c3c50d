/* libreos_test_lax.so — a deliberately misbehaving enricher for the conformance kit test: its
 * schema requires api_key, but create accepts any settings (even `[]`), and it echoes any
 * input with OK. `reos plugins test` must fail it and name the check. */
#include <string.h>

#include "reos/plugin.h"

static const reos_host_api* lax_host;

static reos_status lax_create(const reos_host_api* host, reos_call* call, const char* settings,
                              size_t settings_len, reos_instance** instance) {
  (void)call;
  (void)settings;
  (void)settings_len;
  lax_host = host;
  *instance = NULL;
  return REOS_OK;
}

static void lax_destroy(reos_instance* instance) {
  (void)instance;
}

static reos_status lax_enrich(reos_instance* instance, reos_call* call, const char* in,
                              size_t len) {
  (void)instance;
  (void)in;
  (void)len;
  return lax_host->set_output(call, "{}", 2);
}

static const reos_plugin_descriptor lax_plugin = {
    REOS_DESCRIPTOR_HEADER,
    "test_lax",
    "0.0.1",
    "accepts bad settings (conformance kit must fail it)",
    REOS_KIND_ENRICHER,
    0,
    "{\"type\":\"object\",\"required\":[\"api_key\"],"
    "\"properties\":{\"api_key\":{\"type\":\"string\"}}}",
    lax_create,
    lax_destroy,
    NULL,
    lax_enrich,
    NULL,
    NULL,
    NULL,
    NULL,
};

REOS_PLUGIN_DEFINE(lax_plugin)
