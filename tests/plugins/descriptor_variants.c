/* One source, built once per variant (-DVARIANT_…), each a plugin whose descriptor breaks or
 * stretches one loader rule: a different ABI major, a newer min_host_minor, a newer minor
 * with a larger descriptor, an older one with a smaller descriptor, a bad magic, a declared
 * kind without its callback, a schema that is not JSON, a bad name, no entry symbol. */
#include <stddef.h>
#include <string.h>

#include "reos/plugin.h"

static const reos_host_api* variant_host;

static reos_status v_create(const reos_host_api* host, reos_call* call, const char* settings,
                            size_t settings_len, reos_instance** instance) {
  (void)call;
  (void)settings;
  (void)settings_len;
  variant_host = host;
  *instance = NULL;
  return REOS_OK;
}

static void v_destroy(reos_instance* instance) {
  (void)instance;
}

static reos_status v_enrich(reos_instance* instance, reos_call* call, const char* in, size_t len) {
  (void)instance;
  return variant_host->set_output(call, in, len);
}

static reos_status v_webhook(reos_instance* instance, reos_call* call,
                             const reos_http_request* request) {
  (void)instance;
  (void)request;
  return variant_host->set_message(call, "must never be called", 20);
}

#ifndef VARIANT_NAME
#define VARIANT_NAME "test_variant"
#endif
#ifndef VARIANT_MAGIC
#define VARIANT_MAGIC REOS_PLUGIN_MAGIC
#endif
#ifndef VARIANT_ABI_MAJOR
#define VARIANT_ABI_MAJOR REOS_ABI_VERSION_MAJOR
#endif
#ifndef VARIANT_ABI_MINOR
#define VARIANT_ABI_MINOR REOS_ABI_VERSION_MINOR
#endif
#ifndef VARIANT_MIN_HOST_MINOR
#define VARIANT_MIN_HOST_MINOR 0
#endif
#ifndef VARIANT_KINDS
#define VARIANT_KINDS REOS_KIND_ENRICHER
#endif
#ifndef VARIANT_ENRICH
#define VARIANT_ENRICH v_enrich
#endif
#ifndef VARIANT_SCHEMA
#define VARIANT_SCHEMA NULL
#endif

/* A descriptor as a newer minor of the ABI would write it: two callbacks appended. */
typedef struct bigger_descriptor {
  reos_plugin_descriptor base;
  void (*future_callback_1)(void);
  void (*future_callback_2)(void);
} bigger_descriptor;

#if defined(VARIANT_BIGGER)
#define VARIANT_SIZE ((uint32_t)sizeof(bigger_descriptor))
#elif defined(VARIANT_SMALLER)
/* As a header without the webhook callback would have written it. */
#define VARIANT_SIZE ((uint32_t)offsetof(reos_plugin_descriptor, webhook))
#else
#define VARIANT_SIZE ((uint32_t)sizeof(reos_plugin_descriptor))
#endif

static const bigger_descriptor variant = {
    {
        VARIANT_MAGIC,
        VARIANT_ABI_MAJOR,
        VARIANT_ABI_MINOR,
        VARIANT_SIZE,
        VARIANT_MIN_HOST_MINOR,
        0,
        VARIANT_NAME,
        "0.1.0",
        "a descriptor variant for the loader tests",
        VARIANT_KINDS,
        0,
        VARIANT_SCHEMA,
        v_create,
        v_destroy,
        NULL,
        VARIANT_ENRICH,
        NULL,
        NULL,
        NULL,
        /* Past a smaller descriptor's struct_size: the host must not read or call it. */
        v_webhook,
    },
    NULL,
    NULL,
};

#ifdef VARIANT_NO_ENTRY
REOS_EXPORT const reos_plugin_descriptor* not_the_entry_point(void);
REOS_EXPORT const reos_plugin_descriptor* not_the_entry_point(void) {
  return &variant.base;
}
#else
REOS_PLUGIN_DEFINE(variant.base)
#endif
