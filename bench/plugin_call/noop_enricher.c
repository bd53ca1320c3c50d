/* noop_enricher — the benchmark plugin: hands the record back unchanged with set_output, so
 * a call measures only the host ↔ plugin round trip (and, out of process, the socket). */
#include "reos/plugin.h"

static const reos_host_api* g_host;

static reos_status noop_create(const reos_host_api* host, reos_call* call, const char* settings,
                               size_t settings_len, reos_instance** instance) {
  (void)call, (void)settings, (void)settings_len;
  g_host = host;
  *instance = (reos_instance*)&g_host;
  return REOS_OK;
}

static void noop_destroy(reos_instance* instance) {
  (void)instance;
}

static reos_status noop_enrich(reos_instance* instance, reos_call* call, const char* record,
                               size_t record_len) {
  (void)instance;
  return g_host->set_output(call, record, record_len);
}

static const reos_plugin_descriptor noop_enricher = {
    REOS_DESCRIPTOR_HEADER,
    "noop_enricher",
    "1.0.0",
    "benchmark enricher: returns the record unchanged",
    REOS_KIND_ENRICHER,
    0,
    NULL,
    noop_create,
    noop_destroy,
    NULL,
    noop_enrich,
    NULL,
    NULL,
    NULL,
    NULL,
};

REOS_PLUGIN_DEFINE(noop_enricher)
