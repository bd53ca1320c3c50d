/* crashing_plugin — an enricher that misbehaves on purpose, for the out-of-process tests
 * (tests/out_of_process/). The record decides:
 *   contains "segv"  → raise(SIGSEGV)        contains "abort" → abort()
 *   contains "loop"  → spins forever          contains "exit"  → _exit(7)
 *   anything else    → echoes the record (OK)
 * Settings containing "crash_in_create" make create itself raise SIGSEGV.
 * Never load it in process: it takes its host down with it. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "reos/plugin.h"

static const reos_host_api* g_host;

static int contains(const char* s, size_t len, const char* needle) {
  return memmem(s, len, needle, strlen(needle)) != NULL;
}

static reos_status crashing_create(const reos_host_api* host, reos_call* call, const char* settings,
                                   size_t settings_len, reos_instance** instance) {
  (void)call;
  g_host = host;
  if (contains(settings, settings_len, "crash_in_create")) raise(SIGSEGV);
  *instance = (reos_instance*)&g_host;
  return REOS_OK;
}

static void crashing_destroy(reos_instance* instance) {
  (void)instance;
}

static reos_status crashing_enrich(reos_instance* instance, reos_call* call, const char* record,
                                   size_t record_len) {
  (void)instance;
  if (contains(record, record_len, "segv")) raise(SIGSEGV);
  if (contains(record, record_len, "abort")) abort();
  if (contains(record, record_len, "exit")) _exit(7);
  if (contains(record, record_len, "loop")) {
    for (volatile unsigned long spin = 0;; ++spin) {
    }
  }
  g_host->set_output(call, record, record_len);
  return REOS_OK;
}

static const reos_plugin_descriptor crashing_plugin = {
    REOS_DESCRIPTOR_HEADER,
    "crashing",
    "1.0.0",
    "test plugin that segfaults, aborts, exits or hangs on demand",
    REOS_KIND_ENRICHER,
    0,
    NULL,
    crashing_create,
    crashing_destroy,
    NULL,
    crashing_enrich,
    NULL,
    NULL,
    NULL,
    NULL,
};

REOS_PLUGIN_DEFINE(crashing_plugin)
